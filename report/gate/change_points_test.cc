#include "report/gate/change_points.h"

#include <gtest/gtest.h>

#include <random>

namespace topoplan {
namespace {

MetricSet run(int index, double value, const std::string& key = "m") {
  MetricSet set;
  set.source = "run-" + std::to_string(index) + ".json";
  Metric m;
  m.key = key;
  m.unit = "busbw_gbps";
  m.value = value;
  set.metrics.push_back(m);
  return set;
}

TEST(MeanShift, FindsTheShiftOfAPlantedStep) {
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> noise(0, 0.05);
  std::vector<double> series;
  for (int i = 0; i < 30; ++i) series.push_back((i < 18 ? 10 : 8.5) * noise(rng));
  const ShiftTest r = meanShift(series, 999, 1, 3);
  EXPECT_EQ(r.index, 18);
  EXPECT_LT(r.p, 0.01);
  // The same series shuffled has no step.
  std::shuffle(series.begin(), series.end(), rng);
  EXPECT_GT(meanShift(series, 999, 1, 3).p, 0.05);
  // Too short for two segments of 3: no answer.
  EXPECT_EQ(meanShift({1, 2, 3, 4, 5}, 99, 1, 3).index, 0);
}

TEST(ChangePoints, NamesTheRunItsSizeAndConfidence) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> noise(0, 0.03);
  std::vector<MetricSet> runs;
  for (int i = 0; i < 24; ++i) {
    MetricSet r = run(i, (i < 10 ? 10 : 8) * noise(rng));
    r.metrics.push_back(run(i, 5 * noise(rng), "flat").metrics[0]);  // never shifts
    runs.push_back(r);
  }
  const std::vector<ChangePoint> points = findChangePoints(runs, {});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_EQ(points[0].key, "m");
  EXPECT_EQ(points[0].run, 10);
  EXPECT_EQ(points[0].source, "run-10.json");
  EXPECT_NEAR(points[0].change, -0.2, 0.04);
  EXPECT_LT(points[0].p, 0.01);
  EXPECT_EQ(points[0].runsBefore, 10);
  EXPECT_EQ(points[0].runsAfter, 14);
}

TEST(ChangePoints, BinarySegmentationFindsTwoSteps) {
  std::mt19937_64 rng(9);
  std::lognormal_distribution<double> noise(0, 0.02);
  std::vector<MetricSet> runs;
  for (int i = 0; i < 36; ++i) runs.push_back(run(i, (i < 12 ? 10 : i < 24 ? 7 : 9) * noise(rng)));
  const std::vector<ChangePoint> points = findChangePoints(runs, {});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].run, 12);
  EXPECT_LT(points[0].change, 0);
  EXPECT_EQ(points[1].run, 24);
  EXPECT_GT(points[1].change, 0);
}

TEST(ChangePoints, PureNoiseHasNone) {
  int found = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    std::lognormal_distribution<double> noise(0, 0.1);
    std::vector<MetricSet> runs;
    for (int i = 0; i < 20; ++i) runs.push_back(run(i, 10 * noise(rng)));
    ChangePointSettings settings;
    settings.permutations = 499;
    settings.seed = seed;
    found += !findChangePoints(runs, settings).empty();
  }
  EXPECT_LE(found, 6);  // alpha 0.05: about 2 of 40 expected
}

}  // namespace
}  // namespace topoplan
