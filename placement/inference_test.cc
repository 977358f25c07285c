#include "placement/inference.h"

#include <gtest/gtest.h>

#include <random>

#include "placement/planner.h"

namespace topoplan {
namespace {

// A simulated-cluster-like measurement: racks of nodes, fast inside a rack, a shaped uplink
// between racks that concurrent pairs share, one degraded node, multiplicative noise.
struct Planted {
  std::vector<std::string> hosts;
  std::vector<PairMeasurement> pairs;
};

Planted plantedRacks(int racks, int nodes, const std::string& degradedHost, unsigned seed) {
  Planted planted;
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> noise(0.85, 1.15);
  for (int r = 1; r <= racks; ++r) {
    for (int n = 1; n <= nodes; ++n)
      planted.hosts.push_back("r" + std::to_string(r) + "n" + std::to_string(n));
  }
  for (std::size_t i = 0; i < planted.hosts.size(); ++i) {
    for (std::size_t j = i + 1; j < planted.hosts.size(); ++j) {
      const bool sameRack = planted.hosts[i][1] == planted.hosts[j][1];
      double gbps = sameRack ? 0.5 : 0.024;
      if (!sameRack && random() % 3 == 0) gbps /= 1 + random() % 3;  // shared uplink in a round
      if (planted.hosts[i] == degradedHost || planted.hosts[j] == degradedHost) {
        gbps = std::min(gbps, 0.0125);
      }
      planted.pairs.push_back(
          {planted.hosts[i], planted.hosts[j], gbps * noise(random), sameRack ? 30.0 : 60.0, {}});
    }
  }
  return planted;
}

TEST(Inference, FindsPlantedRacksAndTheDegradedNode) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    Planted planted = plantedRacks(2, 3, "r1n2", seed);
    auto inferred = inferCluster(planted.hosts, planted.pairs, {}, "probe.json");
    ASSERT_TRUE(inferred.ok()) << inferred.error().message();
    const Topology& topology = inferred->topology;
    ASSERT_EQ(topology.levelCount(), 1) << "seed " << seed;
    EXPECT_EQ(topology.domainsAt(0).size(), 2u);
    for (const char* a : {"r1n1", "r1n2", "r1n3"}) {
      for (const char* b : {"r2n1", "r2n2", "r2n3"}) {
        EXPECT_EQ(topology.sharedLevels(topology.hostIndex(a), topology.hostIndex(b)), 0);
      }
    }
    EXPECT_EQ(topology.sharedLevels(topology.hostIndex("r1n1"), topology.hostIndex("r1n2")), 1);
    ASSERT_EQ(inferred->degradedHosts.size(), 1u) << "seed " << seed;
    EXPECT_EQ(inferred->degradedHosts[0].subject, "r1n2");
    EXPECT_NE(inferred->degradedHosts[0].evidence.find("of the median host's best"),
              std::string::npos);

    // The planner, on the measured figures, keeps a 3-host gang inside the healthy rack.
    CostModel cost(topology);
    applyMeasuredFigures(topology, planted.pairs, cost);
    PlanInput input{&topology, &cost, FreeState{}, {topology.hostIndex("r1n2")}, {}};
    input.request.hosts = 3;
    auto plan = planGang(input);
    ASSERT_TRUE(plan.ok() && plan->gang);
    for (int host : plan->gang->hosts) EXPECT_EQ(topology.hosts()[host].name.substr(0, 2), "r2");
    EXPECT_EQ(cost.uplinkGbps(plan->gang->domain).source, "measured");
  }
}

TEST(Inference, ThreeClassesMakeTwoLevelsAndADegradedLinkIsReported) {
  std::vector<std::string> hosts;
  for (int pod = 0; pod < 2; ++pod) {
    for (int rack = 0; rack < 2; ++rack) {
      for (int n = 0; n < 4; ++n)
        hosts.push_back("p" + std::to_string(pod) + "r" + std::to_string(rack) + "n" +
                        std::to_string(n));
    }
  }
  std::vector<PairMeasurement> pairs;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    for (std::size_t j = i + 1; j < hosts.size(); ++j) {
      double gbps = hosts[i][1] != hosts[j][1] ? 1.0 : (hosts[i][3] != hosts[j][3] ? 10.0 : 100.0);
      if (hosts[i] == "p0r0n0" && hosts[j] == "p0r0n1") gbps = 20;  // a bad cable inside a rack
      pairs.push_back({hosts[i], hosts[j], gbps, 1.0, {}});
    }
  }
  auto inferred = inferCluster(hosts, pairs, {}, "m");
  ASSERT_TRUE(inferred.ok()) << inferred.error().message();
  EXPECT_EQ(inferred->topology.levelNames(), (std::vector<std::string>{"island-1", "island-2"}));
  EXPECT_EQ(inferred->topology.domainsAt(0).size(), 2u);
  EXPECT_EQ(inferred->topology.domainsAt(1).size(), 4u);
  EXPECT_TRUE(inferred->degradedHosts.empty());
  ASSERT_EQ(inferred->degradedLinks.size(), 1u);
  EXPECT_EQ(inferred->degradedLinks[0].subject, "p0r0n0 <-> p0r0n1");
  EXPECT_NE(inferred->degradedLinks[0].evidence.find("against 100 GB/s"), std::string::npos);
}

TEST(Inference, RejectsUnusableMeasurements) {
  EXPECT_FALSE(inferCluster({"a"}, {}, {}, "m").ok());
  EXPECT_EQ(inferCluster({"a", "b"}, {{"a", "c", 1, 1, {}}}, {}, "m").error().message(),
            "m: link a <-> c names a host not in hosts[]");
  EXPECT_FALSE(inferCluster({"a", "b"}, {{"a", "b", -1, 1, {}}}, {}, "m").ok());
  EXPECT_EQ(inferCluster({"a", "b", "c"}, {{"a", "b", 1, 1, {}}}, {}, "m").error().message(),
            "m: host c has no measured link");
}

}  // namespace
}  // namespace topoplan

namespace topoplan {
namespace {

TEST(AlphaBeta, FitsLatencyAndBandwidthFromASizeSweep) {
  // 5 us + bytes / 12.5 GB/s, with +-2% noise.
  std::vector<SweepPoint> points;
  const double noise[] = {1.02, 0.98, 1.01, 0.99, 1.0};
  for (int i = 0; i < 5; ++i) {
    const std::uint64_t bytes = 1ULL << (10 + 3 * i);
    points.push_back({bytes, (5.0 + bytes / 12.5e3) * noise[i]});
  }
  auto fit = fitAlphaBeta(points, "a <-> b");
  ASSERT_TRUE(fit.ok()) << fit.error().message();
  EXPECT_NEAR(fit->betaGbps, 12.5, 0.25);
  EXPECT_NEAR(fit->alphaUs, 5.0, 1.0);
  EXPECT_FALSE(fitAlphaBeta({{64, 3.0}}, "x").ok());
  EXPECT_EQ(fitAlphaBeta({{64, 3.0}, {128, 2.0}}, "x").error().message(),
            "x: time does not grow with size, expected a positive slope");
}

}  // namespace
}  // namespace topoplan
