// Node inventory from hwloc: packages, NUMA nodes, cores, GPUs, NICs and NVSwitches with their
// NUMA node and PCIe locality, and the distance matrices hwloc knows (NVLink bandwidth, NUMA
// latency). From the live machine or a saved hwloc XML file; absent hardware is absent, not an
// error.
#pragma once

#include <string>

#include "core/inventory_record.h"
#include "core/result.h"

namespace topoplan {

// `xmlPath` empty: this machine. Errors name the XML file and hwloc's complaint.
Result<InventoryRecord> readInventory(const std::string& xmlPath);

}  // namespace topoplan
