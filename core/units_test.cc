#include "core/units.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

TEST(Units, GbpsUsesDecimalGigabytes) {
  EXPECT_DOUBLE_EQ(gbps(1'000'000'000, 1.0), 1.0);
  EXPECT_DOUBLE_EQ(gbps(1ULL << 30, 1.0), 1.073741824);
  EXPECT_DOUBLE_EQ(gbps(500, 0.0), 0.0);
}

TEST(Units, ParsesSizesLikeNcclTests) {
  EXPECT_EQ(*parseSize("8", "-b"), 8u);
  EXPECT_EQ(*parseSize("0", "-b"), 0u);
  EXPECT_EQ(*parseSize("64K", "-b"), 65536u);
  EXPECT_EQ(*parseSize("128M", "-e"), 128u << 20);
  EXPECT_EQ(*parseSize("128MiB", "-e"), 128u << 20);
  EXPECT_EQ(*parseSize("1G", "-e"), 1ULL << 30);
  EXPECT_EQ(*parseSize("2gB", "-e"), 2ULL << 30);
  EXPECT_EQ(*parseSize("64k", "-b"), 65536u);
  EXPECT_EQ(*parseSize("1T", "-e"), 1ULL << 40);
  EXPECT_EQ(*parseSize("12B", "-e"), 12u);
}

TEST(Units, RefusesALowercaseBForBits) {
  for (const char* bits : {"64Mb", "2gb", "8b", "1Kib"}) {
    auto result = parseSize(bits, "-e");
    ASSERT_FALSE(result.ok()) << bits;
    EXPECT_NE(result.error().message().find("'b' means bits"), std::string::npos) << bits;
  }
}

TEST(Units, RejectsBadSizesNamingTheOption) {
  for (const char* bad :
       {"", "-5", "abc", "12Q", "12MX", "12BB", "1KB2", "99999999999999999999", "17179869184G"}) {
    auto result = parseSize(bad, "--maxbytes");
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.error().message().find("--maxbytes"), std::string::npos);
    EXPECT_NE(result.error().message().find("expected"), std::string::npos);
  }
}

TEST(Units, FormatsSizes) {
  EXPECT_EQ(formatSize(512), "512");
  EXPECT_EQ(formatSize(65536), "64K");
  EXPECT_EQ(formatSize(3 << 19), "1.5M");
  EXPECT_EQ(formatSize(1ULL << 30), "1G");
}

}  // namespace
}  // namespace topoplan
