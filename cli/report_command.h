// `topoplan report FILES... --html FILE`: one self-contained HTML page from result documents.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/cluster_loader.h"

namespace topoplan {

struct ReportOptions {
  std::vector<std::string> files;
  std::string html;
  std::string title = "topoplan report";
  ClusterOptions load;
};

CLI::App* addReportCommand(CLI::App& app, ReportOptions& options);

// Errors are bad input (exit 2); the page is written only when every file was read.
Result<int> runReport(const ReportOptions& options);

}  // namespace topoplan
