#include "cli/jobs/probe_passes.h"

#include <gtest/gtest.h>

#include "cli/jobs/modeled_probe_job.h"
#include "probes/modeled/modeled_rounds.h"

namespace topoplan {
namespace {

// `racks` racks of `rack` hosts; the pairs inside a rack 25 GB/s and 2 us, across `acrossGbps`
// and 3 us (acrossGbps 25 and latency 2 everywhere: one switch, no structure).
ModeledFabric fabricOf(int racks, int rack, double acrossGbps, double acrossUs) {
  ModeledFabric fabric;
  for (int r = 0; r < racks; ++r) {
    for (int h = 0; h < rack; ++h)
      fabric.hosts.push_back(
          {"r" + std::to_string(r) + "n" + std::to_string(h), {"rack" + std::to_string(r)}});
  }
  fabric.pairs = {{acrossGbps, acrossUs}, {25, 2}};
  fabric.noisePct = 5;
  return fabric;
}

ProbePlan defaultPlan() {
  ProbePlan plan;
  plan.paths = {"mpi"};
  return plan;
}

// Beyond 128 hosts without a declared topology: the discovery pass finds the racks, and the first
// pass is the sampled one within them, far fewer pairs than all; the suspects' structure is the
// discovered one.
TEST(ProbePasses, DiscoveryFindsTheRacksAndTheFirstPassIsSampled) {
  const ModeledFabric fabric = fabricOf(16, 16, 12.5, 3);  // 256 hosts
  ProbeRun run;
  std::vector<ProbedPath> probed;
  ASSERT_TRUE(runModeledProbeJob(fabric, defaultPlan(), ProbeOptions{}, run, probed, false).ok());
  ASSERT_TRUE(run.discovery.has_value());
  EXPECT_EQ(run.discovery->levels, 1);
  EXPECT_LT(run.discovery->pairs, 256u * 255 / 2) << "centers' rows, not every pair";
  const std::size_t measured = probed.front().result.links.size();
  EXPECT_GE(measured, 16u * 16 * 15 / 2) << "every pair inside each rack";
  EXPECT_LT(measured, 256u * 255 / 4);
  EXPECT_NE(run.structure.source.find("discovery pass (1 level(s))"), std::string::npos)
      << run.structure.source;
  EXPECT_EQ(run.structure.sharedLevels("r3n1", "r3n9"), 1);
  EXPECT_EQ(run.structure.sharedLevels("r3n1", "r4n1"), 0);
  EXPECT_TRUE(run.modeled);
  EXPECT_GT(run.modeledWallSeconds, 0);
}

TEST(ProbePasses, WithoutStructureTheProbeSaysSoAndMeasuresEveryPair) {
  const ModeledFabric fabric = fabricOf(1, 200, 25, 2);
  ProbeRun run;
  std::vector<ProbedPath> probed;
  ASSERT_TRUE(runModeledProbeJob(fabric, defaultPlan(), ProbeOptions{}, run, probed, false).ok());
  ASSERT_TRUE(run.discovery.has_value());
  EXPECT_EQ(run.discovery->levels, 0);
  EXPECT_EQ(run.discovery->outcome, "found no structure: every pair measured");
  EXPECT_EQ(probed.front().result.links.size(), 200u * 199 / 2);
}

// Up to 128 hosts, or with --pairs all, no discovery pass; --pairs discover asks for one at any
// size.
TEST(ProbePasses, DiscoveryRunsWhereAskedOrBeyond128Hosts) {
  const ModeledFabric small = fabricOf(4, 8, 12.5, 3);
  for (const char* pairs : {"auto", "all", "discover"}) {
    ProbeOptions options;
    options.pairs = pairs;
    ProbeRun run;
    std::vector<ProbedPath> probed;
    ASSERT_TRUE(runModeledProbeJob(small, defaultPlan(), options, run, probed, false).ok());
    EXPECT_EQ(run.discovery.has_value(), std::string(pairs) == "discover") << pairs;
    if (run.discovery) {
      EXPECT_EQ(run.discovery->levels, 1);
    }
  }
}

}  // namespace
}  // namespace topoplan
