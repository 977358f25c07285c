// 16-bit floating-point storage types (IEEE binary16 and bfloat16) and their conversions.
//
// Arithmetic happens in float; results are rounded back to nearest-even. The conversions are
// branch-free selects on integer bit patterns so that loops over them auto-vectorize with plain
// SSE2 (no F16C needed).
#pragma once

#include <bit>
#include <cstdint>

namespace topoplan {

struct Half {
  std::uint16_t bits;
};
struct Bf16 {
  std::uint16_t bits;
};

inline float halfToFloat(Half h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h.bits & 0x8000u) << 16;
  const std::uint32_t magnitude = h.bits & 0x7fffu;
  // Normal numbers: move exponent and mantissa into place and rebias by 127 - 15.
  const std::uint32_t normal = (magnitude << 13) + 0x38000000u;
  // Infinity and NaN keep their mantissa under an all-ones exponent.
  const std::uint32_t special = (magnitude << 13) | 0x7f800000u;
  // Zero and subnormals: magnitude units of 2^-24, exact in float.
  const std::uint32_t subnormal =
      std::bit_cast<std::uint32_t>(static_cast<float>(magnitude) * 0x1p-24f);
  const std::uint32_t bits =
      magnitude >= 0x7c00u ? special : (magnitude < 0x0400u ? subnormal : normal);
  return std::bit_cast<float>(bits | sign);
}

inline Half floatToHalf(float value) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  const std::uint32_t magnitude = x & 0x7fffffffu;
  // |value| >= 65536 overflows; NaN stays a (quiet) NaN.
  const std::uint32_t special = magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u;
  // |value| < 2^-14 becomes a half subnormal: adding 0.5f aligns the half's last bit (2^-24)
  // with float's, so the FPU rounds to nearest-even for us.
  const std::uint32_t subnormal =
      std::bit_cast<std::uint32_t>(std::bit_cast<float>(magnitude) + 0.5f) - 0x3f000000u;
  // Normal: rebias the exponent by 15 - 127 and round the 13 dropped bits to nearest-even.
  const std::uint32_t odd = (magnitude >> 13) & 1u;
  const std::uint32_t normal = (magnitude + 0xc8000fffu + odd) >> 13;
  const std::uint32_t bits =
      magnitude >= 0x47800000u ? special : (magnitude < 0x38800000u ? subnormal : normal);
  return Half{static_cast<std::uint16_t>(bits | sign)};
}

inline float bf16ToFloat(Bf16 b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b.bits) << 16);
}

inline Bf16 floatToBf16(float value) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(value);
  const std::uint32_t rounded = (x + 0x7fffu + ((x >> 16) & 1u)) >> 16;
  const std::uint32_t quietNan = (x >> 16) | 0x0040u;
  const std::uint32_t bits = (x & 0x7fffffffu) > 0x7f800000u ? quietNan : rounded;
  return Bf16{static_cast<std::uint16_t>(bits)};
}

}  // namespace topoplan
