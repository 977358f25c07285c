// `topoplan replay`: a job trace replayed on a cluster under placement policies side by side.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "report/documents/replay_study.h"

namespace topoplan {

struct ReplayCommandOptions {
  ReplayStudy study;
  std::vector<std::string> policies = {"all"};
  std::string queue = "fifo";
  std::vector<std::string> teamShares;  // TEAM=SHARES
  std::string jobsCsv;
  std::string bytesPerStep = "0";
  std::string json, html;
};

CLI::App* addReplayCommand(CLI::App& app, ReplayCommandOptions& options);
Result<int> runReplay(const ReplayCommandOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
