// Compiled with -mavx2 -mf16c -mfma; only called after a run-time CPU check (reduce.cc).
#include <immintrin.h>

#include "kernels/cpu/reduce_loops.h"
#include "kernels/cpu/reduce_variants.h"

namespace topoplan {
namespace {

// Half through F16C's scalar conversions, vcvtph2ps / vcvtps2ph (round to nearest-even, as the
// portable conversion in half.h); GCC and clang both have them, not both a _Float16 type.
template <typename T>
struct F16cTraits : ElementTraits<T> {};

template <>
struct F16cTraits<Half> {
  using Compute = float;
  static float load(Half value) { return _cvtsh_ss(value.bits); }
  static Half store(float value) {
    return Half{static_cast<std::uint16_t>(_cvtss_sh(value, _MM_FROUND_TO_NEAREST_INT))};
  }
};

// GCC 12 does not vectorize _Float16 conversions without AVX512-FP16, so half gets an explicit
// 8-wide loop: F16C converts, and the same Op functors work on __m256 (GCC vector types).
// dst may be a (in-place); it may not partly overlap a or b.
template <typename Op>
void halfLoop(Half* dst, const Half* a, const Half* b, std::size_t count) {
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const __m256 x = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    const __m256 y = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm256_cvtps_ph(Op::apply(x, y), _MM_FROUND_TO_NEAREST_INT));
  }
  using Traits = F16cTraits<Half>;
  for (; i < count; ++i) dst[i] = Traits::store(Op::apply(Traits::load(a[i]), Traits::load(b[i])));
}

void halfReduce(ReduceOp op, void* dst, const void* a, const void* b, std::size_t count) {
  visitOp(op, [&](auto opTag) {
    halfLoop<decltype(opTag)>(static_cast<Half*>(dst), static_cast<const Half*>(a),
                              static_cast<const Half*>(b), count);
  });
}

}  // namespace

void reduceIntoAvx2(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count) {
  if (type == DataType::kHalf) return halfReduce(op, dst, dst, src, count);
  dispatchReduceInto<F16cTraits>(type, op, dst, src, count);
}

void reduceToAvx2(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
                  std::size_t count) {
  if (type == DataType::kHalf) return halfReduce(op, dst, a, b, count);
  dispatchReduceTo<F16cTraits>(type, op, dst, a, b, count);
}

}  // namespace topoplan
