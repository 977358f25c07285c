#include "placement/declared_check.h"

#include <gtest/gtest.h>

#include "placement/planted/inference_truth.h"

namespace topoplan {
namespace {

// A 2:1 leaf-spine whose spines are non-blocking, with two mis-cabled hosts (declared in
// another leaf), a degraded uplink and a degraded host: every fault is named, and nothing else.
TEST(DeclaredCheck, NamesMisCabledHostsDegradedUplinksAndLevelsThatAreNoBoundary) {
  for (unsigned seed = 1; seed <= 10; ++seed) {
    FabricSpec spec = fabricKinds()[0].spec(seed);
    spec.misCabledHosts = 2;
    spec.degradedUplinks = 1;
    spec.degradedHosts = 1;
    const GeneratedFabric fabric = generateFabric(spec);
    auto inferred = inferCluster(fabric.hosts, fabric.pairs, {}, "m");
    ASSERT_TRUE(inferred.ok());
    std::set<std::string> degraded;
    for (const Finding& f : inferred->degradedHosts) degraded.insert(f.subject);
    ASSERT_EQ(degraded, fabric.degradedHosts) << "seed " << seed;
    auto declared = truthTopology(fabric, /*declared=*/true);
    ASSERT_TRUE(declared.ok());
    const DeclaredCheck check =
        checkDeclared(*declared, fabric.hosts, fabric.pairs, degraded, inferred->degradedLinkHosts);
    const auto& findings = check.findings;
    EXPECT_EQ(std::set<std::string>(check.misCabledHosts.begin(), check.misCabledHosts.end()),
              fabric.misCabledHosts);
    std::set<std::string> miscabled, uplinks;
    int boundaries = 0;
    for (const Finding& f : findings) {
      if (f.evidence.find("mis-cabled or mislabelled") != std::string::npos) {
        miscabled.insert(f.subject);
      } else if (f.evidence.find("a degraded uplink") != std::string::npos) {
        uplinks.insert(f.subject);
      } else if (f.evidence.find("not a boundary for bandwidth (latency separates them)") !=
                 std::string::npos) {
        EXPECT_EQ(f.subject, "level spine");
        ++boundaries;
      } else {
        ADD_FAILURE() << "seed " << seed << ": unexpected " << f.subject << ": " << f.evidence;
      }
    }
    EXPECT_EQ(miscabled, fabric.misCabledHosts) << "seed " << seed;
    ASSERT_EQ(uplinks.size(), 1u) << "seed " << seed;
    EXPECT_EQ(*uplinks.begin(), "leaf " + *fabric.degradedUplinks.begin()) << "seed " << seed;
    EXPECT_EQ(boundaries, 1) << "seed " << seed;
  }
}

// Three racks declared right, one holding a degraded host. The pairs that shared their rack's
// uplink in a round with the degraded host's pair measured a share of it (contention 2); the
// rack's pairs measured alone are as fast as its siblings': no degraded uplink is reported.
TEST(DeclaredCheck, ADegradedHostsRoundsDoNotMakeItsRacksUplinkDegraded) {
  FabricSpec spec;
  spec.levels = {{"rack", 3, 2, 0.5}};
  spec.hostsPerDomain = 4;
  spec.degradedHosts = 1;
  spec.seed = 2;
  GeneratedFabric fabric = generateFabric(spec);
  const std::string slow = *fabric.degradedHosts.begin();
  auto truth = truthTopology(fabric);
  ASSERT_TRUE(truth.ok());
  const int slowRack = truth->hosts()[static_cast<std::size_t>(truth->hostIndex(slow))].domains[0];
  int shared = 0;
  for (PairMeasurement& p : fabric.pairs) {
    const int a = truth->hostIndex(p.a), b = truth->hostIndex(p.b);
    const bool leavesSlowRack =
        truth->sharedLevels(a, b) == 0 &&
        (truth->hosts()[static_cast<std::size_t>(a)].domains[0] == slowRack ||
         truth->hosts()[static_cast<std::size_t>(b)].domains[0] == slowRack);
    if (leavesSlowRack && p.a != slow && p.b != slow && shared++ % 3 != 0) {
      p.gbps /= 2.5;
      p.contention = 2;
    }
  }
  auto inferred = inferCluster(fabric.hosts, fabric.pairs, {}, "m");
  ASSERT_TRUE(inferred.ok());
  std::set<std::string> degraded;
  for (const Finding& f : inferred->degradedHosts) degraded.insert(f.subject);
  ASSERT_EQ(degraded, fabric.degradedHosts);
  const DeclaredCheck check =
      checkDeclared(*truth, fabric.hosts, fabric.pairs, degraded, inferred->degradedLinkHosts);
  for (const Finding& f : check.findings) ADD_FAILURE() << f.subject << ": " << f.evidence;
}

TEST(DeclaredCheck, HostsOnlyOneSideKnows) {
  FabricSpec spec = fabricKinds()[0].spec(1);
  const GeneratedFabric fabric = generateFabric(spec);
  auto declared = truthTopology(fabric);
  ASSERT_TRUE(declared.ok());
  std::vector<std::string> measured = {"h0001", "h0002", "stranger"};
  const auto findings = checkDeclared(*declared, measured, {}, {}, {}).findings;
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].evidence, "measured but not in the declared topology: stranger");
  EXPECT_NE(findings[1].evidence.find("126 declared hosts have no measurement"), std::string::npos)
      << findings[1].evidence;
}

}  // namespace
}  // namespace topoplan
