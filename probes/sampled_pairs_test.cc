#include "probes/sampled_pairs.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace topoplan {
namespace {

// spine:4 leaf:8 host:16 = 512 hosts, one rank each.
TEST(SampledPairs, EveryPairInsideALeafAndKLeavingEachDomain) {
  FabricStructure structure;
  std::vector<std::string> rankHosts;
  for (int s = 0; s < 4; ++s) {
    for (int l = 0; l < 8; ++l) {
      for (int h = 0; h < 16; ++h) {
        const std::string spine = "s" + std::to_string(s);
        const std::string leaf = spine + "/l" + std::to_string(l);
        rankHosts.push_back(leaf + "/h" + std::to_string(h));
        structure.hostDomains[rankHosts.back()] = {spine, leaf};
      }
    }
  }
  const int k = 2;
  const SampledPairs sampled = sampledRounds(rankHosts, structure, k);
  EXPECT_EQ(sampled.allPairs, 512u * 511 / 2);
  std::set<std::pair<int, int>> pairs;
  std::map<std::string, int> leaving;  // domain -> sampled pairs leaving it
  for (const Round& round : sampled.rounds) {
    std::set<int> ranks;
    std::set<std::string> uplinks;
    for (const auto& [a, b] : round) {
      ASSERT_TRUE(ranks.insert(a).second && ranks.insert(b).second) << "a rank twice in a round";
      ASSERT_TRUE(pairs.insert({a, b}).second) << "a pair twice";
      for (const std::string& uplink : structure.uplinks(rankHosts[a], rankHosts[b]))
        ASSERT_TRUE(uplinks.insert(uplink).second) << "two pairs through " << uplink;
      const int shared = structure.sharedLevels(rankHosts[a], rankHosts[b]);
      if (shared < 2) {
        for (int r : {a, b}) ++leaving[structure.hostDomains[rankHosts[r]][shared]];
      }
    }
  }
  EXPECT_EQ(pairs.size(), sampled.pairs);
  // Inside each of the 32 leaves every pair: 32 x 120.
  std::size_t inside = 0;
  for (const auto& [a, b] : pairs)
    inside += structure.sharedLevels(rankHosts[a], rankHosts[b]) == 2;
  EXPECT_EQ(inside, 32u * 120);
  // K pairs leave each leaf within its spine, and each spine: at least K, from itself and its
  // siblings' choices.
  for (const auto& [domain, count] : leaving) EXPECT_GE(count, k) << domain;
  EXPECT_EQ(leaving.size(), 32u + 4u);
  EXPECT_LT(sampled.pairs, 32u * 120 + 4 * (32 + 4) * k) << "O(N K), not N^2/2";
  EXPECT_LT(sampled.rounds.size(), 60u) << "15 rounds inside the leaves, a few for the rest";
}

}  // namespace
}  // namespace topoplan
