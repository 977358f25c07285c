#include "placement/whatif/trace_generator.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace topoplan {

std::vector<TraceJob> syntheticTrace(const TraceSpec& spec) {
  std::mt19937_64 random(spec.seed);
  std::bernoulli_distribution singleNode(0.4);
  std::discrete_distribution<int> singleGpus({1, 1, 1, 2});  // 1, 2, 4, 8 GPUs
  std::vector<double> sizeWeights;  // 2, 4, ... maxNodes nodes, each half the one below
  for (int n = 2, w = 1 << 20; n <= std::max(2, spec.maxNodes); n *= 2, w /= 2)
    sizeWeights.push_back(w);
  std::discrete_distribution<int> sizes(sizeWeights.begin(), sizeWeights.end());
  std::lognormal_distribution<double> compute(std::log(1800.0), 1.5);
  std::uniform_real_distribution<double> logBytes(std::log(1e9), std::log(16e9));
  std::vector<TraceJob> jobs(static_cast<std::size_t>(std::max(spec.jobs, 0)));
  double gpuSeconds = 0;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    TraceJob& job = jobs[i];
    job.id = std::to_string(i + 1);
    if (singleNode(random)) {
      job.gpusPerNode = std::min(spec.gpusPerNode, 1 << singleGpus(random));
    } else {
      job.nodes = 2 << sizes(random);
      job.gpusPerNode = spec.gpusPerNode;
    }
    job.computeS = std::min(std::round(compute(random)) + 60, 86400.0);
    if (job.nodes > 1) {
      job.steps = static_cast<long long>(job.computeS);
      job.bytesPerStep = static_cast<std::uint64_t>(std::exp(logBytes(random)));
    }
    gpuSeconds += job.computeS * job.nodes * job.gpusPerNode;
  }
  const double span = gpuSeconds / (spec.load * std::max(1, spec.clusterGpus));
  std::exponential_distribution<double> gap(static_cast<double>(jobs.size()) / span);
  double t = 0;
  for (TraceJob& job : jobs) {
    job.submitS = std::round(t);
    t += gap(random);
  }
  return jobs;
}

}  // namespace topoplan
