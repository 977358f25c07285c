// A node's inventory (hwloc, an NCCL topology file, a probe's per-host inventory) as the GPU
// choice sees it (node_model.h).
//
// GPUs take their index in PCI bus id order, as NVML and nvidia-smi number them (CUDA with
// CUDA_DEVICE_ORDER=PCI_BUS_ID, Slurm's AutoDetect=nvml). A pair's figure is the gpu probe's
// peer copies where they were measured on this host (the slower direction), else declared from
// its path (declaredGbps). GPUs joined by a PCIe switch share a switch id, and so does a NIC
// that is its GPU's nearest through that switch; a GPU no other device shares a switch with has
// none. A GPU's socket is its NUMA node's package.
#pragma once

#include <string>
#include <vector>

#include "core/gpu_copy_record.h"
#include "core/inventory_record.h"
#include "core/result.h"
#include "placement/node/node_model.h"

namespace topoplan {

// The figure assumed for a GPU's PCIe link when its inventory does not give one: Gen3 x16 per
// direction (what the oldest GPUs with NVLink have).
constexpr double kUnknownPcieGbps = 15.75;

struct NodeModelSource {
  NodeModel model;
  int measuredPairs = 0;     // pairs whose figure the gpu probe measured
  bool pcieAssumed = false;  // some GPU's PCIe link was unknown: kUnknownPcieGbps
};

// `copies`: the gpu probe's copies on this host (others are ignored). Errors name `where`: no
// GPUs, or two GPUs with one PCI bus id.
Result<NodeModelSource> nodeModelOf(const InventoryRecord& inventory,
                                    const std::vector<GpuCopyRecord>& copies,
                                    const std::string& where);

}  // namespace topoplan
