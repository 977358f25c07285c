#include "probes/modeled/modeled_rounds.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

// Two racks of two hosts: 25 GB/s and 2 us inside a rack, 12.5 GB/s and 3 us across; host c
// has a slow link (1 GB/s) and rack r2's uplink is slow (5 GB/s).
ModeledFabric twoRacks(double noisePct = 0) {
  ModeledFabric fabric;
  fabric.hosts = {{"a", {"r1"}}, {"b", {"r1"}}, {"c", {"r2"}}, {"d", {"r2"}}};
  fabric.pairs = {{12.5, 3}, {25, 2}};
  fabric.noisePct = noisePct;
  fabric.slowHosts["c"] = 1;
  return fabric;
}

TEST(ModeledFabric, PairsMeasureTheirClassCappedByTheirFaults) {
  ModeledFabric fabric = twoRacks();
  EXPECT_EQ(fabric.sharedLevels(0, 1), 1);
  EXPECT_EQ(fabric.sharedLevels(0, 3), 0);
  EXPECT_DOUBLE_EQ(fabric.pairTruth(0, 1).bandwidthGbps, 25);
  EXPECT_DOUBLE_EQ(fabric.pairTruth(0, 3).bandwidthGbps, 12.5);
  EXPECT_DOUBLE_EQ(fabric.pairTruth(0, 3).latencyUs, 3);
  EXPECT_DOUBLE_EQ(fabric.pairTruth(2, 3).bandwidthGbps, 1) << "c's slow link";
  fabric.slowUplinks["r2"] = 5;
  EXPECT_DOUBLE_EQ(fabric.pairTruth(0, 3).bandwidthGbps, 5) << "leaving r2";
  EXPECT_DOUBLE_EQ(fabric.pairTruth(0, 1).bandwidthGbps, 25) << "inside r1: no uplink";
  fabric.slowLinks[{"a", "b"}] = 2;
  EXPECT_DOUBLE_EQ(fabric.pairTruth(1, 0).bandwidthGbps, 2);
}

// Without noise the figures are the model's: the largest size's bandwidth near the pair's, its
// smallest size's latency the pair's latency plus the transfer time; the clock adds up.
TEST(ModeledRounds, FiguresAndClockFollowTheModel) {
  const ModeledFabric fabric = twoRacks();
  ModeledRounds model(fabric);
  ProbeConfig config;  // 4K .. 4M, 10 samples, 0.5 s a size
  FiguresByPair out;
  ASSERT_TRUE(model.measure(config, {{{0, 1}, {2, 3}}}, "round", out).ok());
  ASSERT_EQ(out.size(), 2u);
  const PairOutcome& fast = out.at({0, 1});
  ASSERT_EQ(fast.sizes.size(), 4u);
  EXPECT_NEAR(fast.sizes.back().bwGbps.median, 25, 25 * 0.01);
  EXPECT_NEAR(fast.sizes.front().latUs.median, 2 + 4096 / 25e3, 1e-6);
  EXPECT_EQ(fast.sizes.back().bwGbps.samples, 10u);
  EXPECT_FALSE(fast.sizes.back().budgetLimited);
  EXPECT_NEAR(out.at({2, 3}).sizes.back().bwGbps.median, 1, 0.01) << "the slow host";
  EXPECT_EQ(model.rounds(), 1);
  // At least the slow pair's own time: 10 samples of 8 x 4 MB at 1 GB/s.
  EXPECT_GT(model.seconds(), 10 * 8 * 4194304 / 1e9);
  EXPECT_LT(model.seconds(), 2.0);
}

// A link far too slow for the budget gets its larger sizes skipped, as the probe does.
TEST(ModeledRounds, ASlowLinkSkipsItsLargerSizes) {
  ModeledFabric fabric = twoRacks();
  fabric.slowHosts["c"] = 0.001;  // 1 MB/s
  ModeledRounds model(fabric);
  ProbeConfig config;
  config.sizeBudgetSeconds = 0.01;
  FiguresByPair out;
  ASSERT_TRUE(model.measure(config, {{{2, 3}}}, "round", out).ok());
  const PairOutcome& slow = out.at({2, 3});
  EXPECT_FALSE(slow.skippedSizes.empty());
  EXPECT_EQ(slow.skippedSizes.back(), config.sizes.back());
  EXPECT_TRUE(slow.sizes.front().budgetLimited);
  config.skipSlowSizes = false;  // as the discovery pass asks
  out.clear();
  ASSERT_TRUE(model.measure(config, {{{2, 3}}}, "round", out).ok());
  EXPECT_TRUE(out.at({2, 3}).skippedSizes.empty());
  EXPECT_EQ(out.at({2, 3}).sizes.size(), config.sizes.size());
}

TEST(ModeledRounds, NoiseStaysWithinItsBoundsAndFollowsTheSeed) {
  const ModeledFabric fabric = twoRacks(5);
  ModeledRounds first(fabric), second(fabric);
  ProbeConfig config;
  FiguresByPair x, y;
  ASSERT_TRUE(first.measure(config, {{{0, 1}}}, "round", x).ok());
  ASSERT_TRUE(second.measure(config, {{{0, 1}}}, "round", y).ok());
  const SizeFigures& largest = x.at({0, 1}).sizes.back();
  EXPECT_GE(largest.bwGbps.min, 25 * 0.95 * 0.99);
  EXPECT_LE(largest.bwGbps.max, 25 * 1.05);
  EXPECT_GT(largest.bwGbps.max - largest.bwGbps.min, 0) << "noise drawn per sample";
  EXPECT_EQ(largest.bwSamplesGbps, y.at({0, 1}).sizes.back().bwSamplesGbps) << "same seed";
}

TEST(ModeledRounds, APairOutsideTheFabricIsAnError) {
  const ModeledFabric fabric = twoRacks();
  ModeledRounds model(fabric);
  FiguresByPair out;
  Status bad = model.measure(ProbeConfig{}, {{{0, 9}}}, "round", out);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("names a rank with no host"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
