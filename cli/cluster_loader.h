// The options of a command that takes a cluster (topo, place, export, report, verify); loading
// it is report/documents/cluster_input.h.
#pragma once

#include <CLI/CLI.hpp>

#include "report/documents/cluster_input.h"

namespace topoplan {

void addClusterOptions(CLI::App* command, ClusterOptions& options);

}  // namespace topoplan
