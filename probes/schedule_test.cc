#include "probes/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace topoplan {
namespace {

TEST(CircleRounds, EveryPairOnceDisjointRoundsForOneTo1024Ranks) {
  for (int n = 1; n <= 1024; n += (n < 64 ? 1 : 61)) {
    const auto rounds = circleRounds(n);
    EXPECT_EQ(rounds.size(), static_cast<std::size_t>(n < 2 ? 0 : (n % 2 == 0 ? n - 1 : n))) << n;
    std::set<std::pair<int, int>> seen;
    for (const Round& round : rounds) {
      std::set<int> busy;
      for (const auto& [a, b] : round) {
        ASSERT_LT(a, b);
        ASSERT_TRUE(seen.insert({a, b}).second) << "pair measured twice, n=" << n;
        ASSERT_TRUE(busy.insert(a).second && busy.insert(b).second) << "rank twice in a round";
      }
      EXPECT_EQ(round.size(), static_cast<std::size_t>(n / 2));
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(n) * (n - 1) / 2) << n;
  }
  EXPECT_EQ(circleRounds(1024).size(), 1023u);
}

TEST(CircleRounds, PartnerLookup) {
  const auto rounds = circleRounds(5);
  int rests = 0;
  for (const Round& round : rounds) rests += partnerIn(round, 2) < 0;
  EXPECT_EQ(rests, 1);                     // odd n: each rank rests exactly once
  EXPECT_EQ(partnerIn(rounds[0], 0), -1);  // rank 0 faces the phantom seat first
  EXPECT_EQ(partnerIn(rounds[1], partnerIn(rounds[1], 0)), 0);
}

}  // namespace
}  // namespace topoplan

namespace topoplan {
namespace {

TEST(PackRounds, NoResourceTwiceInARoundAndLinearRounds) {
  // 64 hosts in 8 racks: every host pairs with 3 hosts of other racks; uplinks are the racks.
  std::vector<PairToSchedule> pairs;
  for (int h = 0; h < 64; ++h) {
    for (int k = 1; k <= 3; ++k) {
      const int other = (h + 8 * k + 1) % 64;
      if (other / 8 == h / 8 || other < h) continue;
      pairs.push_back({h, other, {h, other, 1000 + h / 8, 1000 + other / 8}});
    }
  }
  const auto rounds = packRounds(pairs);
  std::size_t placed = 0;
  for (const Round& round : rounds) {
    std::set<int> used;
    for (const auto& pair : round) {
      const auto it = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) {
        return p.a == pair.first && p.b == pair.second;
      });
      ASSERT_NE(it, pairs.end());
      for (int resource : it->resources) EXPECT_TRUE(used.insert(resource).second);
      ++placed;
    }
  }
  EXPECT_EQ(placed, pairs.size());
  // Each rack uplink carries about 2 x 8 x 3 / 2 = 24 pairs: about that many rounds, not more
  // than twice.
  EXPECT_LE(rounds.size(), 48u);
}

}  // namespace
}  // namespace topoplan
