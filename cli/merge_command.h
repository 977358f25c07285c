// `topoplan merge`: one probe document from several runs on different host sets of a cluster.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string out;
};

CLI::App* addMergeCommand(CLI::App& app, MergeOptions& options);
Result<int> runMerge(const MergeOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
