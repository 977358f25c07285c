// What place knows inside the hosts: each host's inventory in a probe document (with the gpu
// probe's copies), or one inventory file for every other host (--node-inventory: hwloc XML, an
// NCCL topology file, or `topoplan inventory --json`), as NodeInventories.
#pragma once

#include <string>

#include "core/result.h"
#include "placement/node/gang_gpus.h"
#include "report/documents/cluster_input.h"

namespace topoplan {

// An inventory file of any of the three kinds, told apart by content.
Result<InventoryRecord> readNodeInventoryFile(const std::string& path);

// Errors: the file cannot be read, or holds no GPUs. Hosts of the cluster document whose own
// inventory has no GPUs are left to the file.
Result<NodeInventories> nodeInventories(const LoadedCluster& cluster,
                                        const std::string& nodeInventoryPath);

}  // namespace topoplan
