#include "placement/planner.h"

#include <gtest/gtest.h>

#include "core/result_testing.h"

#include <random>
#include <set>

#include "placement/planted/planted_cluster.h"
#include "placement/synthetic.h"

namespace topoplan {
namespace {

struct Instance {
  Topology topology;
  std::map<std::string, int> free;
};

PlanResult plan(const Topology& topology, const CostModel& cost, const FreeState& free,
                GangRequest request, std::set<int> degraded = {}) {
  PlanInput input{&topology, &cost, free, std::move(degraded), request};
  return valueOrThrow<PlanResult>(planGang(input));
}

// The best ring busbw over every N-subset of qualifying, non-degraded hosts.
double exhaustiveBest(const Topology& topology, const CostModel& cost, const FreeState& free,
                      const GangRequest& request, const std::set<int>& degraded) {
  std::vector<int> candidates;
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const int f = free.freeGpus(topology, static_cast<int>(h));
    const bool fits =
        request.gpusPerHost > 0 ? f >= request.gpusPerHost : f == topology.hosts()[h].gpus;
    if (fits && !degraded.count(static_cast<int>(h))) candidates.push_back(static_cast<int>(h));
  }
  double best = 0;
  const int n = static_cast<int>(candidates.size());
  for (unsigned mask = 0; mask < (1u << n); ++mask) {
    if (__builtin_popcount(mask) != request.hosts) continue;
    std::vector<int> hosts;
    for (int i = 0; i < n; ++i) {
      if (mask & (1u << i)) hosts.push_back(candidates[static_cast<std::size_t>(i)]);
    }
    best = std::max(best, cost.predict(hosts, Pattern::kRing, request.bytes).busbwGbps);
  }
  return best;
}

TEST(Planner, MatchesExhaustiveSearchOnSmallHeterogeneousClusters) {
  std::mt19937 random(7);
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("pod=2,rack=2,host=4,gpu=8"));
  int compared = 0;
  for (int trial = 0; trial < 300; ++trial) {
    CostModel cost(topology);
    for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
      cost.setHostGbps(static_cast<int>(h), random() % 4 == 0 ? 25.0 : 50.0, "declared");
    }
    for (std::size_t d = 0; d < topology.domains().size(); ++d) {
      const double choices[] = {12.5, 25.0, 50.0, 50.0};
      cost.setUplinkGbps(static_cast<int>(d), choices[random() % 4], "declared");
    }
    std::map<std::string, int> busy;
    for (const Host& host : topology.hosts()) {
      if (random() % 3 == 0) busy[host.name] = static_cast<int>(random() % 9);
    }
    TOPOPLAN_ASSERT_OK_AND_ASSIGN(free, FreeState::fromMap(topology, busy, "test"));
    GangRequest request;
    request.hosts = 2 + static_cast<int>(random() % 7);
    request.gpusPerHost = random() % 2 ? 0 : 1 + static_cast<int>(random() % 8);
    request.bytes = random() % 2 ? (256u << 20) : 4096u;
    std::set<int> degraded;
    if (random() % 2) degraded.insert(static_cast<int>(random() % 16));
    PlanResult result = plan(topology, cost, free, request, degraded);
    const double best = exhaustiveBest(topology, cost, free, request, degraded);
    if (best == 0) {
      EXPECT_FALSE(result.gang.has_value());
      continue;
    }
    ASSERT_TRUE(result.gang.has_value()) << result.whyNone;
    EXPECT_GE(result.gang->predicted.busbwGbps, 0.98 * best) << "trial " << trial;
    ++compared;
  }
  EXPECT_GT(compared, 150);
}

TEST(Planner, AllOrNothingNeverOnBusyGpusNeverOnDegradedHosts) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("spine=2,leaf=4,host=8,gpu=8"));
  CostModel cost(topology);
  std::mt19937 random(3);
  for (int trial = 0; trial < 100; ++trial) {
    std::map<std::string, int> busy;
    for (const Host& host : topology.hosts()) busy[host.name] = static_cast<int>(random() % 9);
    TOPOPLAN_ASSERT_OK_AND_ASSIGN(free, FreeState::fromMap(topology, busy, "test"));
    GangRequest request;
    request.hosts = 1 + static_cast<int>(random() % 20);
    request.gpusPerHost = 1 + static_cast<int>(random() % 8);
    std::set<int> degraded = {static_cast<int>(random() % 64), static_cast<int>(random() % 64)};
    PlanResult result = plan(topology, cost, free, request, degraded);
    if (!result.gang) {
      EXPECT_FALSE(result.whyNone.empty());
      continue;
    }
    std::set<int> distinct(result.gang->hosts.begin(), result.gang->hosts.end());
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(request.hosts));
    for (int host : result.gang->hosts) {
      EXPECT_GE(free.freeGpus(topology, host), request.gpusPerHost);
      EXPECT_EQ(degraded.count(host), 0u);
    }
  }
}

TEST(Planner, KeepsTheGangInTheTightestDomainAndLargeDomainsWhole) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("spine=2,leaf=4,host=8,gpu=8"));
  CostModel cost(topology);
  // Leaf spine1/leaf2 has 5 free hosts, every other leaf 8: a gang of 4 goes to the 5.
  std::map<std::string, int> busy = {{"h0009", 0}, {"h0010", 2}, {"h0011", 0}};
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(free, FreeState::fromMap(topology, busy, "test"));
  GangRequest request;
  request.hosts = 4;
  PlanResult result = plan(topology, cost, free, request);
  ASSERT_TRUE(result.gang);
  EXPECT_EQ(topology.domains()[result.gang->domain].name, "spine1/leaf2");
  EXPECT_EQ(result.gang->usableLeftInDomain, 1);
  ASSERT_EQ(result.baselines.size(), 4u);
  EXPECT_EQ(result.baselines[0].strategy, "random");
  EXPECT_EQ(result.baselines[3].strategy, "best-fit");
}

TEST(Planner, SlowUplinkKeepsTheGangInsideOneLeaf) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("spine=1,leaf=2,host=4,gpu=8"));
  CostModel cost(topology);
  for (int leaf : topology.domainsAt(1)) cost.setUplinkGbps(leaf, 3.0, "measured");
  GangRequest request;
  request.hosts = 4;
  // first-fit would straddle: hosts 1-2 are busy.
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(free,
                                FreeState::fromMap(topology, {{"h0001", 0}, {"h0002", 0}}, "test"));
  PlanResult result = plan(topology, cost, free, request);
  ASSERT_TRUE(result.gang);
  EXPECT_EQ(topology.domains()[result.gang->domain].name, "spine1/leaf2");
  EXPECT_NEAR(result.gang->predicted.bottleneckGbps, 50.0, 1e-9);
  const Placement& firstFit = result.baselines[2];
  EXPECT_NEAR(firstFit.predicted.bottleneckGbps, 3.0, 1e-9);
  EXPECT_NE(firstFit.predicted.bottleneck.find("uplink of leaf"), std::string::npos);
  EXPECT_GT(result.gang->predicted.busbwGbps, 10 * firstFit.predicted.busbwGbps);
}

TEST(Planner, ExplainsWhyThereIsNoGang) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("pod=2,rack=2,host=4,gpu=8"));
  CostModel cost(topology);
  GangRequest request;
  request.hosts = 17;
  PlanResult tooBig = plan(topology, cost, FreeState{}, request);
  EXPECT_FALSE(tooBig.gang);
  EXPECT_NE(tooBig.whyNone.find("16 of 16 hosts qualify"), std::string::npos) << tooBig.whyNone;
  request.hosts = 6;
  request.requireLevel = 1;
  PlanResult noRack = plan(topology, cost, FreeState{}, request);
  EXPECT_FALSE(noRack.gang);
  EXPECT_NE(noRack.whyNone.find("no rack holds 6 hosts"), std::string::npos) << noRack.whyNone;
  request.requireLevel = 0;
  EXPECT_TRUE(plan(topology, cost, FreeState{}, request).gang);
  request.requireLevel = 5;
  PlanInput input{&topology, &cost, FreeState{}, {}, request};
  EXPECT_FALSE(planGang(input).ok());
}

// A measured cluster whose degraded host inference placed nowhere (its own domain at every level):
// every gang larger than a rack and no larger than the healthy hosts is found (the whole cluster
// is a candidate), and when none fits the reason names the figures, whatever level is required.
TEST(Planner, AnUnplacedDegradedHostLeavesTheRestOfTheClusterUsable) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(cluster, plantCluster(unplacedDegradedHostSpec(7)));
  ASSERT_EQ(cluster.unplacedHosts.size(), 1u);
  const int healthy = static_cast<int>(cluster.topology->hosts().size()) - 1;
  for (int k : {17, 40, 64, healthy}) {
    GangRequest request;
    request.hosts = k;
    const PlanResult result =
        plan(*cluster.topology, *cluster.cost, FreeState{}, request, cluster.degradedHosts);
    ASSERT_TRUE(result.gang.has_value()) << k << ": " << result.whyNone;
    EXPECT_EQ(static_cast<int>(result.gang->hosts.size()), k);
    for (int host : result.gang->hosts) EXPECT_FALSE(cluster.degradedHosts.count(host));
  }
  GangRequest tooMany;
  tooMany.hosts = healthy + 1;
  const PlanResult none =
      plan(*cluster.topology, *cluster.cost, FreeState{}, tooMany, cluster.degradedHosts);
  EXPECT_FALSE(none.gang.has_value());
  EXPECT_NE(none.whyNone.find("1 of them degraded and avoided"), std::string::npos) << none.whyNone;
}

TEST(GangSpec, ParsesAndRejects) {
  auto whole = parseGang("16");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->hosts, 16);
  EXPECT_EQ(whole->gpusPerHost, 0);
  auto gpus = parseGang("4x8");
  ASSERT_TRUE(gpus.ok());
  EXPECT_EQ(gpus->gpusPerHost, 8);
  for (const char* bad : {"", "0", "-3", "4x", "4x0", "x8", "4x8x2", "99999999999"}) {
    auto result = parseGang(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.error().message().find("--gang"), std::string::npos);
  }
  auto free = parseFreeCsv("host,free_gpus\nh1,3\nh2,0\n", "f.csv");
  ASSERT_TRUE(free.ok());
  EXPECT_EQ(free->at("h1"), 3);
  EXPECT_EQ(parseFreeCsv("h1,3\nh1,2\n", "f.csv").error().message(),
            "f.csv:2: duplicate host 'h1'");
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(topology, syntheticTopology("rack=1,host=2,gpu=8"));
  EXPECT_EQ(FreeState::fromMap(topology, {{"nope", 1}}, "f.csv").error().message(),
            "f.csv: host 'nope' is not in the cluster");
  EXPECT_EQ(FreeState::fromMap(topology, {{"h0001", 9}}, "f.csv").error().message(),
            "f.csv: host 'h0001': 9 free GPUs, expected 0 to 8");
}

}  // namespace
}  // namespace topoplan
