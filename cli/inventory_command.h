// `topoplan inventory`: this node's GPUs, NICs, NUMA nodes and PCIe locality (live or from a
// saved hwloc XML).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct InventoryOptions {
  std::string hwlocXml;
  std::string ncclTopo;
  std::string json;
};

CLI::App* addInventoryCommand(CLI::App& app, InventoryOptions& options);
Result<int> runInventory(const InventoryOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
