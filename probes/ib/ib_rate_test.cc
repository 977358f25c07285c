#include "probes/ib/ib_rate.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

// The rates ibstat prints for the common links.
TEST(IbRate, LanesTimesTheLaneRate) {
  EXPECT_EQ(ibRate(2, 64).rateGbps(), 200);  // 4x HDR
  EXPECT_EQ(ibRate(2, 64).speed, "HDR");
  EXPECT_EQ(ibRate(2, 128).rateGbps(), 400);  // 4x NDR
  EXPECT_EQ(ibRate(2, 32).rateGbps(), 100);   // 4x EDR
  EXPECT_EQ(ibRate(2, 16).rateGbps(), 56);    // 4x FDR
  EXPECT_EQ(ibRate(8, 4).rateGbps(), 120);    // 12x QDR
  EXPECT_EQ(ibRate(16, 64).rateGbps(), 100);  // 2x HDR (a split port)
  EXPECT_EQ(ibRate(1, 1).rateGbps(), 2.5);    // 1x SDR
}

TEST(IbRate, UnknownCodesGiveNoRate) {
  EXPECT_EQ(ibRate(3, 64).lanes, 0);
  EXPECT_EQ(ibRate(3, 64).rateGbps(), 0);
  EXPECT_EQ(ibRate(2, 3).speed, "");
  EXPECT_EQ(ibRate(2, 3).rateGbps(), 0);
}

}  // namespace
}  // namespace topoplan
