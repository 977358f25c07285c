// GPU copy bandwidth within a node, measured the way nvbandwidth does: per GPU host-to-device,
// device-to-host and device-to-device copies, and peer copies between every ordered pair of
// GPUs. Each sample holds its stream with a spin kernel (the launch gate) until all of its copies
// are queued, so that launch overhead stays out of the time between its CUDA events; the record
// keeps the sample statistics, the path kind and the expected peak (PCIe: the link's width and
// speed; device memory: its clock and bus width; NVLink: hwloc's NVLinkBandwidth).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/gpu_copy_record.h"
#include "core/inventory_record.h"
#include "core/result.h"

namespace topoplan {

struct GpuCopyConfig {
  std::uint64_t bytes = 64ULL << 20;  // per copy
  int samples = 9;
  int copiesPerSample = 4;
};

struct GpuCopyResult {
  std::vector<GpuCopyRecord> copies;
  std::string absentReason;  // no CUDA device, or a build without CUDA
};

// `pairs`: the node's GPU pair paths from its inventory (hwloc), for the peers' path kind and
// NVLink peak. CUDA errors become Errors that name the call and the device.
Result<GpuCopyResult> runGpuCopyProbe(const GpuCopyConfig& config,
                                      const std::vector<GpuPairPath>& pairs);

}  // namespace topoplan
