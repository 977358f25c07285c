// `topoplan compare RUNS...`: the CI regression gate; `topoplan ab`: interleaved A/B runs.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/result.h"
#include "report/gate/compare.h"

namespace topoplan {

// What the gate's commands share: its settings and its views.
struct GateOptions {
  double tolerancePercent = 5;
  double alpha = 0.05;
  int minSamples = 5;
  std::string correction = "holm";
  std::string junit, markdown, prometheus, json;
};

struct CompareOptions {
  std::vector<std::string> inputs;  // documents, histories (JSON Lines) or directories, in order
  int candidates = 1;               // the last runs that are the candidate
  int window = 10;                  // the latest baseline runs a candidate is compared with
  bool history = false;             // change points over all runs instead
  std::string record;               // a history to append the candidate to
  GateOptions gate;
};

CLI::App* addCompareCommand(CLI::App& app, CompareOptions& options);

// Adds --tolerance, --alpha, --min-samples, --correction and the views' options.
void addGateOptions(CLI::App& command, GateOptions& options);
// Checks the views' paths before anything runs.
Status checkGateOutputs(const GateOptions& options);
CompareSettings gateSettings(const GateOptions& options);
// Prints the table and writes the views of `result` (`current` feeds --prometheus).
Status writeGateViews(const CompareResult& result, const GateOptions& options,
                      const MetricSet& current, const std::vector<std::string>& argv);

// 0: no regression, 1: a regression; errors are bad input (2) and nothing is written then.
Result<int> runCompare(const CompareOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
