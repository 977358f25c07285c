#include "report/gate/significance.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

// Values from scipy 1.10.1 (scipy.stats.mannwhitneyu, alternative="two-sided", method "auto"),
// as google/benchmark's tests use them.
TEST(MannWhitney, MatchesScipy) {
  EXPECT_NEAR(mannWhitney({9, 8}, {10, 7}).p, 1.0, 1e-12);
  EXPECT_NEAR(mannWhitney({90, 86}, {89, 72}).p, 0.666666666667, 1e-9);
  const UTest tie = mannWhitney({8, 8}, {7, 4.54, 800});
  EXPECT_FALSE(tie.exact);
  EXPECT_NEAR(tie.p, 0.76709686841, 1e-9);
  const UTest exact = mannWhitney({80, 77}, {75, 66.6, 1});
  EXPECT_TRUE(exact.exact);
  EXPECT_NEAR(exact.p, 0.2, 1e-12);
  std::vector<double> low, high;
  for (int i = 1; i <= 9; ++i) low.push_back(i), high.push_back(i + 9);
  const UTest apart = mannWhitney(low, high);
  EXPECT_EQ(apart.u1, 0);
  EXPECT_NEAR(apart.p, 0.000412294802062, 1e-12);
  const UTest close = mannWhitney({10.1, 10.3, 10.2, 10.5, 10.4, 10.2, 10.6, 10.3, 10.4, 10.2},
                                  {10.4, 10.6, 10.5, 10.7, 10.5, 10.8, 10.6, 10.9, 10.5, 10.7});
  EXPECT_EQ(close.u1, 8.5);
  EXPECT_NEAR(close.p, 0.00176205920075, 1e-12);
  EXPECT_NEAR(
      mannWhitney({3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}, {2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5}).p,
      0.709024484732, 1e-12);
  EXPECT_EQ(mannWhitney({}, {1, 2}).p, 1.0);
}

TEST(MultipleTests, HolmAndBenjaminiHochberg) {
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const auto h = holm(p);
  const std::vector<double> holmExpected = {0.03, 0.06, 0.06, 0.02};
  const auto bh = benjaminiHochberg(p);
  const std::vector<double> bhExpected = {0.02, 0.04, 0.04, 0.02};
  for (std::size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(h[i], holmExpected[i], 1e-12) << i;
    EXPECT_NEAR(bh[i], bhExpected[i], 1e-12) << i;
  }
}

}  // namespace
}  // namespace topoplan
