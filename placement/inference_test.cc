#include "placement/inference.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "placement/planner.h"
#include "placement/planted/inference_truth.h"

namespace topoplan {
namespace {

constexpr unsigned kSeeds = 20;

// Every fabric kind over many seeds: the planted levels recovered exactly, no healthy host
// called degraded, every planted degraded host found and never placed where it does not sit, a
// gang that fits a rack kept in one.
TEST(InferenceTruth, EveryKindRecoversItsPlantedStructure) {
  for (const FabricKind& kind : fabricKinds()) {
    int exact = 0, inOneRack = 0, missed = 0, wrong = 0, misplaced = 0;
    for (unsigned seed = 1; seed <= kSeeds; ++seed) {
      const FabricSpec spec = kind.spec(seed);
      const GeneratedFabric fabric = generateFabric(spec);
      const TruthScore score = scoreInference(fabric, std::max(2, spec.hostsPerDomain / 2));
      exact += score.exact;
      inOneRack += score.gangInOneRack;
      missed += score.degradedPlanted - score.degradedFound;
      wrong += score.healthyCalledDegraded;
      misplaced += score.degradedMisplaced;
      if (!score.exact)
        std::printf("  %s seed %u: %s\n", kind.name.c_str(), seed, score.why.c_str());
    }
    // The goal: exact recovery in at least 95% of the seeds of every kind.
    EXPECT_GE(exact * 100, 95 * static_cast<int>(kSeeds)) << kind.name;
    EXPECT_EQ(wrong, 0) << kind.name << ": healthy hosts called degraded";
    EXPECT_EQ(missed, 0) << kind.name << ": planted degraded hosts missed";
    EXPECT_EQ(misplaced, 0) << kind.name << ": degraded hosts placed where they do not sit";
    if (kind.levels > 0) {
      EXPECT_GE(inOneRack * 100, 95 * static_cast<int>(kSeeds)) << kind.name;
    }
  }
}

// The planner on inferred figures predicts what the truth's figures predict.
TEST(InferenceTruth, PredictionsFollowThePlantedFigures) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    const FabricSpec spec = fabricKinds()[0].spec(seed);
    const TruthScore score = scoreInference(generateFabric(spec), 8);
    EXPECT_LT(score.predictionErrorPct, 15.0) << "seed " << seed;
  }
}

// Which signal gave each level: on a 2:1 leaf-spine the spines come from latency alone (single
// pairs across spines measure what pairs across leaves do), the leaves from both.
TEST(Inference, LevelsSayWhichSignalGaveThem) {
  const GeneratedFabric fabric = generateFabric(fabricKinds()[0].spec(3));
  auto inferred = inferCluster(fabric.hosts, fabric.pairs, {}, "m");
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  ASSERT_EQ(inferred->levels.size(), 2u);
  EXPECT_EQ(inferred->levels[0].signals, "latency");
  EXPECT_EQ(inferred->levels[1].signals, "bandwidth and latency");
  EXPECT_GT(inferred->levels[1].bandwidthThreshold, 12.5 * 1.1);
  EXPECT_LT(inferred->levels[1].bandwidthThreshold, 25 * 0.9);
  EXPECT_TRUE(inferred->disagreements.empty());
}

// A degraded uplink sets its leaf apart in bandwidth but not in latency: a finding, not a level.
TEST(Inference, ADegradedUplinkIsAFindingNotALevel) {
  FabricSpec spec = fabricKinds()[0].spec(5);
  spec.degradedUplinks = 1;
  const GeneratedFabric fabric = generateFabric(spec);
  auto inferred = inferCluster(fabric.hosts, fabric.pairs, {}, "m");
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  EXPECT_EQ(inferred->topology.levelCount(), 2);
  ASSERT_EQ(inferred->degradedUplinks.size(), 1u);
  EXPECT_NE(inferred->degradedUplinks[0].evidence.find("a degraded uplink, not a level"),
            std::string::npos);
}

// Racks a tiny minority of the pairs (512 hosts in racks of 4: the pairs inside racks are 0.6%
// of all), and latency alone on a non-blocking fabric whose one rack sits behind a degraded
// uplink: the planted levels, both degraded hosts, the uplink a finding, never a level.
TEST(Inference, RacksThatAreATinyMinorityOfThePairsAreLevels) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    FabricSpec spec;
    spec.levels = {{"leaf", 128, 2, 0.5}};
    spec.hostsPerDomain = 4;
    spec.degradedHosts = 2;
    spec.degradedUplinks = 1;
    spec.seed = seed;
    const TruthScore score = scoreInference(generateFabric(spec), 2);
    EXPECT_TRUE(score.exact) << "seed " << seed << ": " << score.why;
    EXPECT_EQ(score.degradedFound, 2);
    EXPECT_EQ(score.healthyCalledDegraded, 0);
    EXPECT_EQ(score.uplinksFound, 1) << "seed " << seed;
  }
}

// Two racks of three on a loaded machine, r1n2 degraded: the six healthy pairs across the racks
// measured shares of their uplink, 0.002 to 0.024 GB/s (12:1), the four inside 0.236 to 0.239.
// The classes cannot split that spread from the pairs inside; the widest gap at which single
// linkage joins hosts (0.024 to 0.236) still makes the racks.
TEST(Inference, RacksWhosePairsAcrossSpreadWidelyAreStillALevel) {
  const std::vector<std::string> hosts = {"r1n1", "r1n2", "r1n3", "r2n1", "r2n2", "r2n3"};
  std::vector<PairMeasurement> pairs;
  auto add = [&](const char* a, const char* b, double gbps, int contention) {
    PairMeasurement m;
    m.a = a;
    m.b = b;
    m.gbps = gbps;
    m.gbpsP10 = gbps * 0.97;
    m.gbpsP90 = gbps * 1.03;
    m.samples = 3;
    m.latencyUs = 60;
    m.contention = contention;
    pairs.push_back(m);
  };
  for (const char* other : {"r1n1", "r1n3", "r2n1", "r2n2", "r2n3"}) add("r1n2", other, 0.012, 1);
  add("r1n1", "r1n3", 0.238, 1);
  add("r2n1", "r2n2", 0.239, 1);
  add("r2n1", "r2n3", 0.236, 1);
  add("r2n2", "r2n3", 0.239, 1);
  add("r1n1", "r2n1", 0.002, 3);
  add("r1n1", "r2n2", 0.004, 3);
  add("r1n1", "r2n3", 0.024, 1);
  add("r1n3", "r2n1", 0.008, 3);
  add("r1n3", "r2n2", 0.012, 2);
  add("r1n3", "r2n3", 0.024, 2);
  auto inferred = inferCluster(hosts, pairs, {}, "m");
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  EXPECT_TRUE(inferred->bandwidthClasses.thresholds.empty()) << "the classes alone split them";
  ASSERT_EQ(inferred->levels.size(), 1u);
  EXPECT_EQ(inferred->levels[0].signals, "bandwidth");
  EXPECT_GT(inferred->levels[0].bandwidthThreshold, 0.024);
  EXPECT_LT(inferred->levels[0].bandwidthThreshold, 0.236);
  const Topology& t = inferred->topology;
  EXPECT_EQ(t.sharedLevels(t.hostIndex("r1n1"), t.hostIndex("r1n3")), 1);
  EXPECT_EQ(t.sharedLevels(t.hostIndex("r2n1"), t.hostIndex("r2n3")), 1);
  EXPECT_EQ(t.sharedLevels(t.hostIndex("r1n1"), t.hostIndex("r2n1")), 0);
  ASSERT_EQ(inferred->degradedHosts.size(), 1u);
  EXPECT_EQ(inferred->degradedHosts[0].subject, "r1n2");
}

// Noise makes (almost) no level by the widest gap: clusters of 4 to 8 hosts of one class, their
// pairs spread +-30% or +-60% (lognormal), tagged at random as shares of an uplink. The classes
// themselves find a level in under 1% of such tiny, noisy clusters; the widest gap adds one in
// under 0.1%.
TEST(Inference, OneClassOfFewHostsHasNoLevelWhateverItsSpread) {
  int byClasses = 0, byGap = 0, runs = 0;
  for (double spread : {0.3, 0.6}) {
    for (int n = 4; n <= 8; ++n) {
      for (unsigned seed = 1; seed <= 400; ++seed) {
        std::mt19937 random(seed * 31 + static_cast<unsigned>(n));
        std::lognormal_distribution<double> lognormal(std::log(0.24), spread);
        std::vector<std::string> hosts;
        for (int h = 0; h < n; ++h) hosts.push_back("h" + std::to_string(h));
        std::vector<PairMeasurement> pairs;
        for (int a = 0; a < n; ++a) {
          for (int b = a + 1; b < n; ++b) {
            PairMeasurement m;
            m.a = hosts[static_cast<std::size_t>(a)];
            m.b = hosts[static_cast<std::size_t>(b)];
            m.gbps = lognormal(random);
            m.gbpsP10 = m.gbps * 0.97;
            m.gbpsP90 = m.gbps * 1.03;
            m.samples = 3;
            m.contention = 1 + static_cast<int>(random() % 3);
            pairs.push_back(m);
          }
        }
        auto inferred = inferCluster(hosts, pairs, {}, "m");
        ASSERT_TRUE(inferred.ok()) << inferred.error().message();
        if (!inferred->levels.empty())
          ++(inferred->bandwidthClasses.thresholds.empty() ? byGap : byClasses);
        ++runs;
      }
    }
  }
  EXPECT_LE(byClasses * 100, runs) << byClasses << " of " << runs << " levels from the classes";
  EXPECT_LE(byGap * 1000, runs) << byGap << " of " << runs << " levels from the widest gap";
}

TEST(Inference, ADegradedUplinkOnANonBlockingFabricIsNotALevel) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    FabricSpec spec;
    spec.levels = {{"pod", 2, 1, 1.0}, {"leaf", 4, 1, 0.5}};
    spec.hostsPerDomain = 16;
    spec.degradedUplinks = 1;
    spec.seed = seed;
    const TruthScore score = scoreInference(generateFabric(spec), 8);
    EXPECT_TRUE(score.exact) << "seed " << seed << ": " << score.why;
    EXPECT_EQ(score.uplinksFound, 1) << "seed " << seed;
  }
}

// One level of three racks, one behind a degraded uplink: the finding compares its pairs with the
// pairs between the healthy racks (12.5 GB/s), not with an empty set.
TEST(Inference, ADegradedUplinksEvidenceNamesTheHealthyCrossRackFigure) {
  FabricSpec spec;
  spec.levels = {{"rack", 3, 2, 0.5}};
  spec.hostsPerDomain = 6;
  spec.hostGbps = 25;
  spec.degradedUplinks = 1;
  spec.degradedUplinkFactor = 0.12;
  spec.seed = 4;
  const GeneratedFabric fabric = generateFabric(spec);
  auto inferred = inferCluster(fabric.hosts, fabric.pairs, {}, "m");
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  ASSERT_EQ(inferred->degradedUplinks.size(), 1u);
  const std::string& evidence = inferred->degradedUplinks[0].evidence;
  const std::size_t against = evidence.find(" against ");
  ASSERT_NE(against, std::string::npos) << evidence;
  const double others = std::stod(evidence.substr(against + 9));
  EXPECT_NEAR(others, 12.5, 1.5) << evidence;
}

// A degraded host with latency that says where it sits joins its rack; the rack's figures do
// not change when it is added; without a latency class it is placed nowhere.
TEST(Inference, DegradedHostsNeverPoisonADomain) {
  FabricSpec spec = fabricKinds()[0].spec(7);
  const GeneratedFabric clean = generateFabric(spec);
  spec.degradedHosts = 1;
  const GeneratedFabric withSlow = generateFabric(spec);
  const std::string slow = *withSlow.degradedHosts.begin();
  auto inferred = inferCluster(withSlow.hosts, withSlow.pairs, {}, "m");
  ASSERT_TRUE(inferred.ok());
  ASSERT_EQ(inferred->degradedHosts.size(), 1u);
  EXPECT_EQ(inferred->degradedHosts[0].subject, slow);
  EXPECT_TRUE(inferred->unplacedHosts.empty()) << inferred->unplacedHosts[0].evidence;
  const Topology& topology = inferred->topology;
  CostModel cost(topology);
  applyMeasuredFigures(topology, withSlow.pairs, {slow}, inferred->degradedLinkHosts, cost);
  const int slowIndex = topology.hostIndex(slow);
  const int rack = topology.hosts()[static_cast<std::size_t>(slowIndex)].domains.back();
  EXPECT_LT(cost.hostGbps(slowIndex).value, 0.2 * spec.hostGbps);
  for (int host : topology.domains()[static_cast<std::size_t>(rack)].hosts) {
    if (host == slowIndex) continue;
    EXPECT_NEAR(cost.hostGbps(host).value, spec.hostGbps, 0.12 * spec.hostGbps)
        << "a healthy host's figure, with the slow one in its rack";
  }
  // Latency noise that hides the levels' latency classes: placed nowhere.
  FabricSpec blind = spec;
  for (auto& level : blind.levels) level.hopLatencyUs = 0;
  const GeneratedFabric flat = generateFabric(blind);
  auto nowhere = inferCluster(flat.hosts, flat.pairs, {}, "m");
  ASSERT_TRUE(nowhere.ok());
  ASSERT_EQ(nowhere->unplacedHosts.size(), 1u);
  EXPECT_NE(nowhere->unplacedHosts[0].evidence.find("placed nowhere: latency shows no classes"),
            std::string::npos)
      << nowhere->unplacedHosts[0].evidence;
  (void)clean;
}

PairMeasurement pair(const std::string& a, const std::string& b, double gbps) {
  PairMeasurement p;
  p.a = a;
  p.b = b;
  p.gbps = gbps;
  p.latencyUs = 1;
  return p;
}

TEST(Inference, Errors) {
  EXPECT_EQ(inferCluster({}, {}, {}, "m").error().message(),
            "m: no host measured, expected at least 1");
  // One host (a single server's ranks): a cluster without levels, its own pairs ignored.
  auto one = inferCluster({"a"}, {pair("a", "a", 3)}, {}, "m");
  ASSERT_TRUE(one.ok()) << one.error().message();
  EXPECT_EQ(one->topology.hostNames(), std::vector<std::string>{"a"});
  EXPECT_EQ(one->topology.levelCount(), 0);
  EXPECT_TRUE(one->degradedHosts.empty());
  PairMeasurement unknown = pair("a", "c", 1);
  EXPECT_EQ(inferCluster({"a", "b"}, {unknown}, {}, "m").error().message(),
            "m: link a <-> c names a host not in hosts[]");
  PairMeasurement negative = pair("a", "b", -1);
  EXPECT_FALSE(inferCluster({"a", "b"}, {negative}, {}, "m").ok());
  PairMeasurement ab = pair("a", "b", 1);
  EXPECT_EQ(inferCluster({"a", "b", "c"}, {ab}, {}, "m").error().message(),
            "m: host c has no measured link");
}

}  // namespace
}  // namespace topoplan
