// Synthetic gang traces with a chosen offered load, for benchmarks and tests of `replay`.
//
// Sizes as in LLM training clusters: 40% of jobs on one node (1, 2, 4 or 8 GPUs), the rest on
// 2 to `maxNodes` whole nodes (powers of two, each half as likely as the one below). Compute
// times are log-normal (median 30 min, sigma 1.5, at most a day); a multi-node job runs one
// AllReduce of 1 to 16 GB (log-uniform) per second of compute. Arrivals are a Poisson process
// whose rate makes the offered GPU-seconds `load` times the cluster's GPUs over the span.
#pragma once

#include <vector>

#include "placement/whatif/trace.h"

namespace topoplan {

struct TraceSpec {
  int jobs = 1000;
  int clusterGpus = 0;  // the cluster the load is for
  int gpusPerNode = 8;
  int maxNodes = 128;
  double load = 0.9;
  unsigned seed = 1;
};

std::vector<TraceJob> syntheticTrace(const TraceSpec& spec);

}  // namespace topoplan
