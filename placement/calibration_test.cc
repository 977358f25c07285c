#include "placement/calibration.h"

#include <gtest/gtest.h>

#include "placement/synthetic.h"

namespace topoplan {
namespace {

TEST(Calibration, ScalesTheFiguresThatLimitedEachLevelsPredictions) {
  auto topology = syntheticTopology("rack=2,host=4,gpu=8");
  ASSERT_TRUE(topology.ok());
  CostModel cost(*topology);
  for (int d : topology->domainsAt(0)) cost.setUplinkGbps(d, 10, "measured");
  // Inside a rack a host link (50 GB/s) limits; across racks the uplink (10).
  const std::vector<CalibrationSample> samples = {
      {"gang", {"h0001", "h0002"}, 40, 32},        // measured 0.8 of predicted
      {"same-again", {"h0002", "h0001"}, 40, 20},  // the same hosts: counted once
      {"across", {"h0001", "h0005"}, 8, 10}};      // measured 1.25 of predicted
  const auto calibrated = calibrate(*topology, cost, samples);
  ASSERT_EQ(calibrated.size(), 2u);
  EXPECT_NE(calibrated[0].find("host links x0.8 (the median of 1 candidate(s)"), std::string::npos)
      << calibrated[0];
  EXPECT_NE(calibrated[1].find("uplinks of rack x1.25"), std::string::npos) << calibrated[1];
  EXPECT_DOUBLE_EQ(cost.hostGbps(3).value, 40);
  EXPECT_EQ(cost.hostGbps(3).source, "calibrated");
  EXPECT_DOUBLE_EQ(cost.uplinkGbps(topology->domainsAt(0)[1]).value, 12.5);
}

}  // namespace
}  // namespace topoplan

namespace topoplan {
namespace {

// A ring inside a finest domain runs at most at the rate its hosts measured in a ring; across
// domains the uplinks limit as before.
TEST(CostModel, ARingInsideADomainRunsAtMostAtItsMeasuredRingRate) {
  auto topology = syntheticTopology("rack=2,host=4,gpu=8");
  ASSERT_TRUE(topology.ok());
  CostModel cost(*topology);
  for (int h = 0; h < 8; ++h) cost.setHostGbps(h, 25, "measured");
  for (int d : topology->domainsAt(0)) cost.setUplinkGbps(d, 10, "measured");
  const int rack0 = topology->domainsAt(0)[0];
  cost.setRingGbps(rack0, Figure{20, "measured", 19, 21, 4});
  const Prediction inside = cost.predict({0, 1, 2}, Pattern::kRing, 64 << 20);
  EXPECT_DOUBLE_EQ(inside.bottleneckGbps, 20);
  EXPECT_NE(inside.bottleneck.find("sending and receiving at once"), std::string::npos);
  const Prediction other = cost.predict({4, 5, 6}, Pattern::kRing, 64 << 20);
  EXPECT_DOUBLE_EQ(other.bottleneckGbps, 25) << "the other rack was not measured in a ring";
  const Prediction across = cost.predict({0, 4}, Pattern::kRing, 64 << 20);
  EXPECT_DOUBLE_EQ(across.bottleneckGbps, 10);
  EXPECT_EQ(across.bottleneckLevel, 0);
}

// Rings and trees run at the duplex figures (a host sending and receiving at once, an uplink with
// one flow each way) where measured; all-to-all keeps the one-way and aggregate figures;
// calibration scales the duplex figures with the others.
TEST(CostModel, RingsAndTreesRunAtTheDuplexFiguresWhereMeasured) {
  auto topology = syntheticTopology("rack=2,host=4,gpu=8");
  ASSERT_TRUE(topology.ok());
  CostModel cost(*topology);
  for (int h = 0; h < 8; ++h) cost.setHostGbps(h, 25, "measured");
  for (int d : topology->domainsAt(0)) cost.setUplinkGbps(d, 10, "measured");
  cost.setHostDuplex(1, Figure{15, "measured", 15, 15, 1});
  const int rack1 = topology->domainsAt(0)[1];
  cost.setUplinkDuplex(rack1, Figure{6, "measured", 6, 6, 1});
  const Prediction inside = cost.predict({0, 1, 2}, Pattern::kRing, 64 << 20);
  EXPECT_DOUBLE_EQ(inside.bottleneckGbps, 15);
  EXPECT_NE(inside.bottleneck.find("host h0002 sending and receiving at once (15 GB/s"),
            std::string::npos)
      << inside.bottleneck;
  EXPECT_DOUBLE_EQ(cost.predict({0, 1, 2}, Pattern::kTree, 64 << 20).bottleneckGbps, 15);
  EXPECT_DOUBLE_EQ(cost.predict({0, 2, 3}, Pattern::kRing, 64 << 20).bottleneckGbps, 25);
  const Prediction across = cost.predict({2, 5}, Pattern::kRing, 64 << 20);
  EXPECT_DOUBLE_EQ(across.bottleneckGbps, 6);
  EXPECT_EQ(across.bottleneckLevel, 0);
  EXPECT_NE(across.bottleneck.find(", one flow each way (6 GB/s, measured)"), std::string::npos)
      << across.bottleneck;
  EXPECT_DOUBLE_EQ(cost.pathGbps(2, 5), 10) << "one way: the uplink's single flow";
  EXPECT_GT(cost.predict({2, 5}, Pattern::kAllToAll, 64 << 20).bottleneckGbps, 6);

  calibrate(*topology, cost, {{"across", {"h0003", "h0006"}, 6, 3}});
  EXPECT_DOUBLE_EQ(cost.uplinkDuplexGbps(rack1).value, 3);
  EXPECT_EQ(cost.uplinkDuplexGbps(rack1).source, "calibrated");
  calibrate(*topology, cost, {{"inside", {"h0001", "h0002", "h0003"}, 15, 30}});
  EXPECT_DOUBLE_EQ(cost.hostDuplexGbps(1).value, 30);
}

}  // namespace
}  // namespace topoplan
