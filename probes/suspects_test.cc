#include "probes/suspects.h"

#include <gtest/gtest.h>

#include <random>

namespace topoplan {
namespace {

// Two racks of 4 hosts, one rank each: 2:1 oversubscribed (10 GB/s inside a rack, 5 across),
// +-10% noise; latency 3 us inside, 6 us across.
struct Racks {
  std::vector<std::string> hosts;
  std::vector<LinkMeasurement> links;
  FabricStructure structure;
};

Racks racks(unsigned seed, const std::string& slowHost = "",
            std::pair<int, int> slowLink = {-1, -1}) {
  Racks r;
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  for (int i = 0; i < 8; ++i) {
    r.hosts.push_back("r" + std::to_string(i / 4) + "n" + std::to_string(i % 4));
    r.structure.hostDomains[r.hosts.back()] = {"rack" + std::to_string(i / 4)};
  }
  r.structure.source = "test racks";
  for (int a = 0; a < 8; ++a) {
    for (int b = a + 1; b < 8; ++b) {
      const bool same = a / 4 == b / 4;
      double bw = (same ? 10.0 : 5.0) * noise(random);
      double lat = (same ? 3.0 : 6.0) * noise(random);
      if (r.hosts[a] == slowHost || r.hosts[b] == slowHost) bw = std::min(bw, 1.0);
      if (a == slowLink.first && b == slowLink.second) bw = 1.5;
      LinkMeasurement link;
      link.a = a;
      link.b = b;
      link.concurrent.resize(1);
      link.concurrent[0].bytes = 4096;
      link.concurrent[0].bwGbps = summarize({bw});
      link.concurrent[0].latUs = summarize({lat});
      r.links.push_back(link);
    }
  }
  return r;
}

TEST(Suspects, CrossRackPairsOfAnOversubscribedTreeAreNotSuspects) {
  for (unsigned seed = 1; seed <= 50; ++seed) {
    const Racks r = racks(seed);
    const SuspectVerdict verdict = findSuspects(r.links, r.hosts, r.structure, {});
    EXPECT_TRUE(verdict.retest.empty()) << "seed " << seed << ": " << verdict.retest.size();
    EXPECT_TRUE(verdict.hosts.empty());
  }
}

TEST(Suspects, WithoutAStructureASlowHostIsStillFound) {
  const Racks r = racks(2, "r1n1");
  const SuspectVerdict verdict = findSuspects(r.links, r.hosts, FabricStructure{}, {});
  ASSERT_EQ(verdict.hosts.size(), 1u);
  EXPECT_EQ(verdict.hosts[0].host, "r1n1");
  EXPECT_EQ(verdict.retest.size(), 2u);
}

TEST(Suspects, PairsThatSharedAnUplinkInTheirRoundAreComparedWithTheirLike) {
  // Half of the cross-rack pairs shared their uplink with 2 others in their round: a third of
  // the bandwidth. Judged against all cross-rack pairs they would be low; against pairs that met
  // the same contention, they are not.
  Racks r = racks(5);
  std::vector<int> contention(r.links.size(), 1);
  int shared = 0;
  for (std::size_t i = 0; i < r.links.size(); ++i) {
    if (r.links[i].a / 4 == r.links[i].b / 4 || ++shared % 2 == 0) continue;
    r.links[i].concurrent[0].bwGbps.median /= 3;
    contention[i] = 3;
  }
  EXPECT_FALSE(findSuspects(r.links, r.hosts, r.structure, {}).retest.empty());
  const SuspectVerdict verdict = findSuspects(r.links, r.hosts, r.structure, {}, contention);
  EXPECT_TRUE(verdict.retest.empty()) << verdict.retest.size();
  EXPECT_TRUE(verdict.hosts.empty());
}

TEST(Suspects, ASlowHostExplainsItsPairsAndIsConfirmedByTwo) {
  const Racks r = racks(3, "r0n2");
  const SuspectVerdict verdict = findSuspects(r.links, r.hosts, r.structure, {});
  ASSERT_EQ(verdict.hosts.size(), 1u);
  EXPECT_EQ(verdict.hosts[0].host, "r0n2");
  EXPECT_NE(verdict.hosts[0].reason.find("7 of its 7 pairs"), std::string::npos)
      << verdict.hosts[0].reason;
  ASSERT_EQ(verdict.retest.size(), 2u) << "two confirming pairs, not seven";
  for (std::size_t i : verdict.retest) {
    const auto& link = r.links[i];
    EXPECT_TRUE(link.a == 2 || link.b == 2);
    EXPECT_EQ(link.a / 4, link.b / 4) << "its finest class: inside its rack";
  }
  std::size_t explained = 0;
  for (const std::string& reason : verdict.reasons)
    explained += reason.find("explained by the slow host r0n2") != std::string::npos;
  EXPECT_EQ(explained, 7u) << "all seven are low and explained";
}

TEST(Suspects, ALowLinkIsMeasuredAgainAndNamesItsClass) {
  const Racks r = racks(4, "", {1, 5});  // a cross-rack pair at 1.5 against ~5
  const SuspectVerdict verdict = findSuspects(r.links, r.hosts, r.structure, {});
  ASSERT_EQ(verdict.retest.size(), 1u);
  const auto& link = r.links[verdict.retest[0]];
  EXPECT_EQ(link.a, 1);
  EXPECT_EQ(link.b, 5);
  EXPECT_NE(verdict.reasons[verdict.retest[0]].find("pairs sharing 0 level(s)"), std::string::npos)
      << verdict.reasons[verdict.retest[0]];
  EXPECT_TRUE(verdict.hosts.empty());
}

TEST(Suspects, TheRuleInWords) {
  const std::string text = describe(SuspectRule{});
  EXPECT_NE(text.find("0.7 / k x the class median"), std::string::npos) << text;
  EXPECT_NE(text.find("no host and no uplink"), std::string::npos) << text;
}

}  // namespace
}  // namespace topoplan
