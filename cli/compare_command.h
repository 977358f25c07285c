// `topoplan compare BASELINE CURRENT`: the CI regression gate.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct CompareOptions {
  std::string baseline, current;
  double tolerancePercent = 5;
  double alpha = 0.05;
  int minSamples = 5;
  std::string correction = "holm";
  std::string junit, markdown, prometheus, json;
};

CLI::App* addCompareCommand(CLI::App& app, CompareOptions& options);

// 0: no regression, 1: a regression; errors are bad input (2) and nothing is written then.
Result<int> runCompare(const CompareOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
