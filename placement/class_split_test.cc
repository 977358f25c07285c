#include "placement/class_split.h"

#include <gtest/gtest.h>

#include <random>

namespace topoplan {
namespace {

// Pair figures of `hosts` hosts in racks of `rack`: `inside` within a rack, `across` between,
// each times a uniform noise of +-`noise`, with per-pair samples of the same spread.
std::vector<MeasuredValue> racks(int hosts, int rack, double inside, double across, double noise,
                                 unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> jitter(1 - noise, 1 + noise);
  std::vector<MeasuredValue> values;
  for (int a = 0; a < hosts; ++a) {
    for (int b = a + 1; b < hosts; ++b) {
      const double v = (a / rack == b / rack ? inside : across) * jitter(random);
      values.push_back({v, v * 0.97, v * 1.03, 10});
    }
  }
  return values;
}

TEST(ClassSplit, TwoToOneAndThreeToOneSplitWithTenPercentNoise) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    for (double ratio : {2.0, 3.0}) {
      const ClassSplit split = splitClasses(racks(128, 16, 25, 25 / ratio, 0.10, seed));
      ASSERT_EQ(split.classes.size(), 2u) << "ratio " << ratio << " seed " << seed;
      EXPECT_EQ(split.classes[1].count, 8u * 120) << "the pairs inside the racks";
      EXPECT_GT(split.thresholds[0], 25 / ratio * 1.1);
      EXPECT_LT(split.thresholds[0], 25 * 0.9);
      EXPECT_GT(split.separations[0], 5.0);
    }
  }
}

// 512 hosts in racks of 4: the pairs inside the racks are 768 of 130,816 (0.6%), far fewer than
// the n/32 values of a coarse candidate; they are still a class of their own.
TEST(ClassSplit, AClassOfAFewPairsAmongManyStandsApart) {
  for (unsigned seed = 1; seed <= 3; ++seed) {
    const ClassSplit split = splitClasses(racks(512, 4, 25, 12.5, 0.05, seed));
    ASSERT_EQ(split.classes.size(), 2u) << "seed " << seed;
    EXPECT_EQ(split.classes[1].count, 128u * 6) << "the pairs inside the racks";
  }
}

TEST(ClassSplit, WideNoiseInsideOneClassNeverSplits) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    EXPECT_EQ(splitClasses(racks(16, 16, 25, 25, 0.50, seed)).classes.size(), 1u) << seed;
    EXPECT_EQ(splitClasses(racks(64, 64, 25, 25, 0.50, seed)).classes.size(), 1u) << seed;
    std::mt19937 random(seed);
    std::lognormal_distribution<double> lognormal(std::log(10.0), 0.3);
    std::vector<MeasuredValue> values;
    for (int i = 0; i < 2000; ++i) values.push_back({lognormal(random), 0, 0, 0});
    EXPECT_EQ(splitClasses(values).classes.size(), 1u) << seed;
  }
}

TEST(ClassSplit, ThreeLevelsAndOutliers) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  std::vector<MeasuredValue> values;
  for (int i = 0; i < 200; ++i) values.push_back({50 * jitter(random), 0, 0, 0});
  for (int i = 0; i < 800; ++i) values.push_back({25 * jitter(random), 0, 0, 0});
  for (int i = 0; i < 3000; ++i) values.push_back({12.5 * jitter(random), 0, 0, 0});
  values.push_back({0.5, 0, 0, 0});  // one degraded link is not a class
  const ClassSplit split = splitClasses(values);
  ASSERT_EQ(split.classes.size(), 3u);
  EXPECT_EQ(split.classes[0].count, 3001u);
  EXPECT_NEAR(split.classes[2].median, 50, 3);
}

TEST(ClassSplit, ClassesCloserThanTheMeasurementNoiseStayOne) {
  // 10% apart, but each pair's samples spread +-40% over 3 samples.
  std::vector<MeasuredValue> values;
  std::mt19937 random(3);
  std::uniform_real_distribution<double> jitter(0.99, 1.01);
  for (int i = 0; i < 100; ++i) {
    const double v = (i % 2 ? 11.0 : 10.0) * jitter(random);
    values.push_back({v, v * 0.6, v * 1.4, 3});
  }
  EXPECT_EQ(splitClasses(values).classes.size(), 1u);
  for (auto& v : values) v = {v.value, v.value * 0.99, v.value * 1.01, 3};
  EXPECT_EQ(splitClasses(values).classes.size(), 2u) << "the same values, measured precisely";
}

}  // namespace
}  // namespace topoplan
