// One AllReduce measurement: the record that tables, JSON and comparisons are views of.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/stats.h"

namespace topoplan {

struct AllreduceRecord {
  std::string algo;  // "mpi", "ring", "rhd", "tree", "nccl"
  std::uint64_t bytes = 0;
  std::uint64_t count = 0;
  std::string dtype;
  std::string op;
  bool in_place = false;
  SampleStats time_us;                 // per iteration: the slowest rank's time, in microseconds
  std::vector<double> samples_us;      // each timed iteration's time, in order
  double algbw_gbps = 0;               // bytes / median time
  double busbw_gbps = 0;               // algbw * 2(n-1)/n, as nccl-tests defines it for AllReduce
  std::optional<std::uint64_t> wrong;  // wrong elements over all ranks; empty when not checked
};

// A requested algorithm this run could not execute, and why (e.g. nccl without a GPU).
struct WaivedAlgorithm {
  std::string algo;
  std::string reason;
};

// nccl-tests' AllReduce bus bandwidth factor 2(n-1)/n (0 for a single rank).
inline double allreduceBusFactor(int ranks) {
  return ranks > 0 ? 2.0 * (ranks - 1) / ranks : 0.0;
}

}  // namespace topoplan
