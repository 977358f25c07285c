#include "core/stats.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

TEST(Stats, SummarizesUnsortedSample) {
  SampleStats s = summarize({5, 1, 4, 2, 3, 10, 6, 7, 9, 8, 0});
  EXPECT_EQ(s.samples, 11u);
  EXPECT_DOUBLE_EQ(s.median, 5);
  EXPECT_DOUBLE_EQ(s.p10, 1);
  EXPECT_DOUBLE_EQ(s.p90, 9);
  EXPECT_DOUBLE_EQ(s.min, 0);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_DOUBLE_EQ(s.mean, 5);
  EXPECT_NEAR(s.cv, 3.3166247903554 / 5, 1e-12);
}

TEST(Stats, InterpolatesBetweenOrderStatistics) {
  SampleStats s = summarize({1, 2, 3, 4});
  EXPECT_DOUBLE_EQ(s.median, 2.5);
  EXPECT_DOUBLE_EQ(s.p10, 1.3);
  EXPECT_DOUBLE_EQ(s.p90, 3.7);
}

TEST(Stats, EmptyAndSingle) {
  EXPECT_EQ(summarize({}).samples, 0u);
  SampleStats one = summarize({7});
  EXPECT_DOUBLE_EQ(one.median, 7);
  EXPECT_DOUBLE_EQ(one.p10, 7);
  EXPECT_DOUBLE_EQ(one.cv, 0);
}

}  // namespace
}  // namespace topoplan
