// The alpha-beta (latency-bandwidth) model of one path: time(bytes) = alpha + bytes / beta,
// fitted by least squares to a probe's size sweep.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct SweepPoint {
  std::uint64_t bytes = 0;
  double timeUs = 0;
};

struct AlphaBeta {
  double alphaUs = 0;   // intercept: the latency
  double betaGbps = 0;  // 1 / slope: the bandwidth, in GB/s (1e9 bytes/s)
};

// Needs two or more distinct sizes and time growing with size; `what` names the path in errors.
Result<AlphaBeta> fitAlphaBeta(const std::vector<SweepPoint>& points, const std::string& what);

}  // namespace topoplan
