#include "probes/schedule.h"

#include <gtest/gtest.h>

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
