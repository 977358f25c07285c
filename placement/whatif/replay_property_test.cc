// replay over random traces on generated clusters (property_generators.h), every policy, FIFO and
// EASY: every job either runs or is counted as bigger than the cluster; a job runs for its
// compute plus its communication on distinct hosts that have the GPUs; no host ever holds more
// GPUs than it has; FIFO starts in submission order; the utilization integral equals the jobs'
// GPU-seconds; and a rerun is identical. With failures: no run on a host while it is down, each
// run goes on from the work the one before saved, and lost and allocated GPU-hours add up. With
// priorities and preemption: FIFO within a priority, and a run stops by preemption only as a job
// of higher priority starts on one of its hosts. With teams and fair share: the same, and every
// job in its team's figures. Without AllReduces, topoplan's look ahead changes no start.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>

#include "placement/planted/property_generators.h"
#include "placement/planted/replay_checks.h"
#include "placement/synthetic.h"
#include "placement/whatif/replay.h"
#include "placement/whatif/trace_generator.h"

namespace topoplan {
namespace {

// A synthetic trace of 1 to `most` - 1 jobs for the cluster, its GPUs per node, largest gang, load
// and seed drawn.
std::vector<TraceJob> genTrace(const Topology& topology, int most) {
  TraceSpec spec;
  spec.jobs = *rc::gen::inRange(1, most);
  spec.clusterGpus = static_cast<int>(topology.gpuCount());
  spec.gpusPerNode = *rc::gen::element(1, 2, 4, 8);
  spec.maxNodes = *rc::gen::element(2, 8, 64);
  spec.load = *rc::gen::element(0.5, 1.5);
  spec.seed = *rc::gen::inRange(1u, 1000u);
  return syntheticTrace(spec);
}

RC_GTEST_PROP(ReplayProperty, InvariantsHoldOnGeneratedClusters, ()) {
  const PlantedCluster cluster = property::genCluster();
  const Topology& topology = *cluster.topology;
  std::vector<TraceJob> jobs = genTrace(topology, 60);
  // Priorities: none, or a few levels at random.
  const int priorities = *rc::gen::element(1, 3);
  const int teams = *rc::gen::element(1, 3);
  for (TraceJob& j : jobs) {
    j.priority = *rc::gen::inRange(0, priorities);
    j.team = std::string(1, static_cast<char>('a' + *rc::gen::inRange(0, teams)));
  }
  ReplayOptions options;
  options.policy = std::string(*rc::gen::elementOf(
      std::vector<std::string_view>(std::begin(kReplayPolicies), std::end(kReplayPolicies))));
  options.backfill = *rc::gen::arbitrary<bool>();
  options.backfillDepth = *rc::gen::inRange(1, 20);
  // Failures: none, drawn, or listed (some overlapping, some never repaired), with or without
  // checkpoints.
  const int failureKind = *rc::gen::inRange(0, 3);
  const int hosts = static_cast<int>(topology.hosts().size());
  if (failureKind == 1) {
    options.mtbfS = *rc::gen::element(500.0, 5000.0, 50000.0);
    options.mttrS = *rc::gen::element(10.0, 600.0);
    options.degradedFailureFactor = *rc::gen::element(1.0, 4.0);
  } else if (failureKind == 2) {
    const int count = *rc::gen::inRange(1, 8);
    for (int i = 0; i < count; ++i) {
      const double down = *rc::gen::inRange(0, 5000);
      const double up = *rc::gen::arbitrary<bool>() ? down + *rc::gen::inRange(1, 3000)
                                                    : std::numeric_limits<double>::infinity();
      options.failures.push_back({*rc::gen::inRange(0, hosts), down, up});
    }
  }
  options.checkpointS = *rc::gen::element(0.0, 60.0, 900.0);
  options.preempt = *rc::gen::arbitrary<bool>();
  options.fairShare = *rc::gen::arbitrary<bool>();
  options.fairShareHalfLifeS = *rc::gen::element(600.0, 7 * 86400.0);
  if (*rc::gen::arbitrary<bool>()) options.teamShares = {{"a", 3}, {"b", 1}};
  RC_TAG(options.policy, options.backfill, failureKind, options.preempt && priorities > 1,
         options.fairShare);

  const auto run = replay(topology, *cluster.cost, cluster.degradedHosts, jobs, options);
  RC_ASSERT(run.ok());
  const ReplayRun& r = *run;
  const std::vector<std::string> violations =
      replayViolations(topology, jobs, r, !options.backfill && !options.fairShare);
  for (const std::string& v : violations) RC_LOG() << v << "\n";
  RC_ASSERT(violations.empty());
  const auto again = replay(topology, *cluster.cost, cluster.degradedHosts, jobs, options);
  RC_ASSERT(again.ok());
  RC_ASSERT(again->summary.jctMeanS == r.summary.jctMeanS);
  int teamJobs = 0;  // every job in one team's figures
  for (const TeamFigures& t : r.summary.teams) teamJobs += t.jobs;
  RC_ASSERT(teamJobs == static_cast<int>(jobs.size()));
  for (std::size_t i = 0; i < r.jobs.size(); ++i)
    RC_ASSERT(again->jobs[i].hosts == r.jobs[i].hosts);
}

// Looking ahead weighs only communication: on a trace without AllReduces, whatever the cluster,
// queue, failures and priorities, topoplan starts every job when and where topoplan-greedy does.
RC_GTEST_PROP(ReplayProperty, WithoutCommunicationLookingAheadChangesNothing, ()) {
  const int spines = *rc::gen::inRange(1, 4), leaves = *rc::gen::inRange(1, 5),
            hostsPerLeaf = *rc::gen::inRange(1, 9);
  auto generated =
      syntheticTopology("spine=" + std::to_string(spines) + ",leaf=" + std::to_string(leaves) +
                        ",host=" + std::to_string(hostsPerLeaf) + ",gpu=8");
  RC_ASSERT(generated.ok());
  const Topology& topology = *generated;
  CostModel cost(topology);
  for (int leaf : topology.domainsAt(1))
    cost.setUplinkGbps(leaf, *rc::gen::element(10.0, 25.0, 50.0), "declared");
  for (int spine : topology.domainsAt(0))
    cost.setUplinkGbps(spine, *rc::gen::element(5.0, 12.5, 25.0), "declared");
  std::vector<TraceJob> jobs = genTrace(topology, 15);
  for (TraceJob& j : jobs) {
    j.steps = 0;
    j.priority = *rc::gen::inRange(0, 2);
  }
  ReplayOptions options;
  options.backfill = *rc::gen::arbitrary<bool>();
  options.preempt = *rc::gen::arbitrary<bool>();
  if (*rc::gen::arbitrary<bool>()) {
    options.mtbfS = *rc::gen::element(500.0, 5000.0);
    options.mttrS = 600;
  }
  options.policy = "topoplan";
  const auto ours = replay(topology, cost, {}, jobs, options);
  options.policy = "topoplan-greedy";
  const auto greedy = replay(topology, cost, {}, jobs, options);
  RC_ASSERT(ours.ok() && greedy.ok());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    RC_ASSERT(ours->jobs[i].startS == greedy->jobs[i].startS);
    RC_ASSERT(ours->jobs[i].hosts == greedy->jobs[i].hosts);
  }
}

}  // namespace
}  // namespace topoplan
