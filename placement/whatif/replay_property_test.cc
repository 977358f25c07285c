// replay over random traces on generated clusters (property_generators.h), every policy, FIFO and
// EASY: every job either runs or is counted as bigger than the cluster; a job runs for its
// compute plus its communication on distinct hosts that have the GPUs; no host ever holds more
// GPUs than it has; FIFO starts in submission order; the utilization integral equals the jobs'
// GPU-seconds; and a rerun is identical.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "placement/planted/property_generators.h"
#include "placement/whatif/replay.h"
#include "placement/whatif/trace_generator.h"

namespace topoplan {
namespace {

RC_GTEST_PROP(ReplayProperty, InvariantsHoldOnGeneratedClusters, ()) {
  const PlantedCluster cluster = property::genCluster();
  const Topology& topology = *cluster.topology;
  TraceSpec traceSpec;
  traceSpec.jobs = *rc::gen::inRange(1, 60);
  traceSpec.clusterGpus = static_cast<int>(topology.gpuCount());
  traceSpec.gpusPerNode = *rc::gen::element(1, 2, 4, 8);
  traceSpec.maxNodes = *rc::gen::element(2, 8, 64);
  traceSpec.load = *rc::gen::element(0.5, 1.5);
  traceSpec.seed = *rc::gen::inRange(1u, 1000u);
  const std::vector<TraceJob> jobs = syntheticTrace(traceSpec);
  ReplayOptions options;
  options.policy = std::string(*rc::gen::elementOf(
      std::vector<std::string_view>(std::begin(kReplayPolicies), std::end(kReplayPolicies))));
  options.backfill = *rc::gen::arbitrary<bool>();
  options.backfillDepth = *rc::gen::inRange(1, 20);
  RC_TAG(options.policy, options.backfill);

  const auto run = replay(topology, *cluster.cost, cluster.degradedHosts, jobs, options);
  RC_ASSERT(run.ok());
  const ReplayRun& r = *run;
  RC_ASSERT(r.summary.started + r.summary.unplaceable == static_cast<int>(jobs.size()));
  std::map<double, std::vector<std::pair<int, int>>> changes;  // time: (host, +-gpus)
  double gpuSeconds = 0;
  for (const ReplayJob& j : r.jobs) {
    if (j.startS < 0) continue;
    const TraceJob& t = jobs[static_cast<std::size_t>(j.job)];
    RC_ASSERT(j.startS >= t.submitS);
    RC_ASSERT(std::abs(j.endS - (j.startS + t.computeS + j.commS)) <= 1e-6 * (1 + j.endS));
    std::set<int> hosts(j.hosts.begin(), j.hosts.end());
    RC_ASSERT(static_cast<int>(hosts.size()) == t.nodes);
    RC_ASSERT(static_cast<int>(j.hosts.size()) == t.nodes);
    for (int h : hosts) {
      RC_ASSERT(h >= 0 && h < static_cast<int>(topology.hosts().size()));
      changes[j.startS].emplace_back(h, t.gpusPerNode);
      changes[j.endS].emplace_back(h, -t.gpusPerNode);
    }
    gpuSeconds += (j.endS - j.startS) * t.nodes * t.gpusPerNode;
  }
  std::vector<int> used(topology.hosts().size(), 0);
  for (const auto& [time, deltas] : changes) {
    for (const auto& [h, d] : deltas) used[static_cast<std::size_t>(h)] += d < 0 ? d : 0;
    for (const auto& [h, d] : deltas) used[static_cast<std::size_t>(h)] += d > 0 ? d : 0;
    for (std::size_t h = 0; h < used.size(); ++h) {
      RC_ASSERT(used[h] >= 0);
      RC_ASSERT(used[h] <= topology.hosts()[h].gpus);
    }
  }
  if (!options.backfill) {
    double last = 0;
    for (const ReplayJob& j : r.jobs) {
      if (j.startS < 0) continue;
      RC_ASSERT(j.startS >= last);
      last = j.startS;
    }
  }
  RC_ASSERT(std::abs(r.summary.utilizationMean * static_cast<double>(topology.gpuCount()) *
                         r.summary.makespanS -
                     gpuSeconds) <= 1e-6 * (1 + gpuSeconds));
  const auto again = replay(topology, *cluster.cost, cluster.degradedHosts, jobs, options);
  RC_ASSERT(again.ok());
  RC_ASSERT(again->summary.jctMeanS == r.summary.jctMeanS);
  for (std::size_t i = 0; i < r.jobs.size(); ++i)
    RC_ASSERT(again->jobs[i].hosts == r.jobs[i].hosts);
}

}  // namespace
}  // namespace topoplan
