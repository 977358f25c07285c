// NCCL topology files (the `<system>` XML given to NCCL_TOPO_FILE): CPUs (NUMA nodes), PCIe
// switches, GPUs and NICs, read into an inventory. A GPU's nearest NIC is one behind the same
// PCIe switch ("pcie-switch"), else on the same CPU ("numa"), else any ("system").
#pragma once

#include <string>

#include "core/inventory_record.h"
#include "core/result.h"

namespace topoplan {

Result<InventoryRecord> readNcclTopology(const std::string& path);

}  // namespace topoplan
