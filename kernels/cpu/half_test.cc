#include "kernels/cpu/half.h"

#include "topoplan/config.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace topoplan {
namespace {

// The compiler's own _Float16 conversions are the reference, where it has them.
#if TOPOPLAN_HAVE_FLOAT16
std::uint16_t referenceHalf(float value) {
  const _Float16 h = static_cast<_Float16>(value);
  std::uint16_t bits;
  std::memcpy(&bits, &h, sizeof bits);
  return bits;
}

float referenceFloat(std::uint16_t bits) {
  _Float16 h;
  std::memcpy(&h, &bits, sizeof bits);
  return static_cast<float>(h);
}
#define TOPOPLAN_NEEDS_FLOAT16() (void)0
#else
std::uint16_t referenceHalf(float) {
  return 0;
}
float referenceFloat(std::uint16_t) {
  return 0;
}
#define TOPOPLAN_NEEDS_FLOAT16() \
  GTEST_SKIP() << "this compiler has no _Float16 on this target: no reference to compare with"
#endif

TEST(Half, EveryHalfConvertsToFloatExactly) {
  TOPOPLAN_NEEDS_FLOAT16();
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const float ours = halfToFloat(Half{static_cast<std::uint16_t>(bits)});
    const float reference = referenceFloat(static_cast<std::uint16_t>(bits));
    if (std::isnan(reference)) {
      EXPECT_TRUE(std::isnan(ours)) << bits;
    } else {
      EXPECT_EQ(std::bit_cast<std::uint32_t>(ours), std::bit_cast<std::uint32_t>(reference))
          << bits;
    }
  }
}

TEST(Half, FloatToHalfRoundsToNearestEvenLikeTheCompiler) {
  TOPOPLAN_NEEDS_FLOAT16();
  std::mt19937 random(1234);
  std::uniform_int_distribution<std::uint32_t> anyBits;
  std::vector<float> values = {
      0.0f,         -0.0f,    1.0f,       65504.0f,
      65519.99f,    65520.0f, 1e9f,       std::numeric_limits<float>::infinity(),
      0x1p-24f,     0x1p-25f, 0x1.8p-25f, 0x1p-14f,
      0x1.ffcp-15f, 2049.0f,  2051.0f};
  for (int i = 0; i < 1'000'000; ++i) values.push_back(std::bit_cast<float>(anyBits(random)));
  // Every float that sits exactly halfway between two halves.
  for (std::uint32_t bits = 0; bits < 0x7c00; ++bits) {
    const float low = referenceFloat(static_cast<std::uint16_t>(bits));
    const float high = referenceFloat(static_cast<std::uint16_t>(bits + 1));
    values.push_back(low + (high - low) / 2);
  }
  for (float value : values) {
    if (std::isnan(value)) {
      EXPECT_EQ(floatToHalf(value).bits & 0x7e00u, 0x7e00u);
      continue;
    }
    ASSERT_EQ(floatToHalf(value).bits, referenceHalf(value)) << value;
  }
}

TEST(Bf16, ConvertsAndRoundsToNearestEven) {
  EXPECT_EQ(floatToBf16(1.0f).bits, 0x3f80);
  EXPECT_EQ(bf16ToFloat(Bf16{0xc040}), -3.0f);
  // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to the even mantissa (1).
  EXPECT_EQ(floatToBf16(1.0f + 0x1p-8f).bits, 0x3f80);
  // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6: rounds up to even.
  EXPECT_EQ(floatToBf16(1.0f + 3 * 0x1p-8f).bits, 0x3f82);
  EXPECT_EQ(floatToBf16(1.0f + 0x1p-8f + 0x1p-20f).bits, 0x3f81);
  EXPECT_TRUE(std::isnan(bf16ToFloat(floatToBf16(std::nanf("")))));
  EXPECT_TRUE(std::isinf(bf16ToFloat(floatToBf16(3.4e38f))));
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const float value = bf16ToFloat(Bf16{static_cast<std::uint16_t>(bits)});
    if (!std::isnan(value)) {
      ASSERT_EQ(floatToBf16(value).bits, bits);
    }
  }
}

}  // namespace
}  // namespace topoplan
