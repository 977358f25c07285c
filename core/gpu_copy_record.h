// One GPU copy measurement of a node (the `gpu` probe): the record that the cluster document and
// the probe's table are views of.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "core/stats.h"

namespace topoplan {

struct GpuCopyRecord {
  GpuCopyRecord() = default;
  GpuCopyRecord(std::string kind, int src, int dst) : kind(std::move(kind)), src(src), dst(dst) {}

  std::string host;         // where it was measured (empty: this node)
  std::string kind;         // "h2d", "d2h", "d2d", "peer"
  int src = -1, dst = -1;   // CUDA device indices; -1: host memory
  std::uint64_t bytes = 0;  // per copy
  SampleStats bwGbps;       // per sample: the copies' bytes / their time between CUDA events
  // "pcie" (host copies), "device-memory" (d2d), and for peers the GPUs' path ("nvlink",
  // "nvswitch", "pcie-switch", "host-bridge", "numa", "system", or "staged" through host memory
  // when peer access is unavailable).
  std::string path;
  double expectedPeakGbps = 0;  // 0: unknown
  std::string peakBasis;        // where the peak comes from: "PCIe Gen5 x16 (32 GT/s)" ...

  double peakPercent() const {
    return expectedPeakGbps > 0 ? 100.0 * bwGbps.median / expectedPeakGbps : 0;
  }
};

}  // namespace topoplan
