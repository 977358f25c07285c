#include "kernels/cpu/reduce.h"

#include <gtest/gtest.h>

#include <vector>

#include "kernels/cpu/element.h"
#include "kernels/cpu/reduce_variants.h"
#include "topoplan/config.h"

namespace topoplan {
namespace {

double referenceOp(ReduceOp op, double a, double b) {
  switch (op) {
    case ReduceOp::kSum:
      return a + b;
    case ReduceOp::kProd:
      return a * b;
    case ReduceOp::kMin:
      return std::min(a, b);
    case ReduceOp::kMax:
      return std::max(a, b);
  }
  return 0;
}

using ReduceIntoFn = void (*)(DataType, ReduceOp, void*, const void*, std::size_t);
using ReduceToFn = void (*)(DataType, ReduceOp, void*, const void*, const void*, std::size_t);

// Checks both kernels against a scalar reference for one type, on values whose results are
// exactly representable, with odd lengths so the vector loops' remainders are exercised.
template <typename T>
void checkType(DataType type, ReduceIntoFn reduceInto, ReduceToFn reduceTo) {
  using Traits = ElementTraits<T>;
  for (ReduceOp op : kAllReduceOps) {
    for (std::size_t count : {0u, 1u, 7u, 33u, 1001u}) {
      std::vector<T> a(count), b(count), out(count);
      for (std::size_t i = 0; i < count; ++i) {
        a[i] = Traits::store(static_cast<typename Traits::Compute>(static_cast<int>(i % 13) - 6));
        b[i] = Traits::store(static_cast<typename Traits::Compute>(static_cast<int>(i % 7) - 2));
      }
      reduceTo(type, op, out.data(), a.data(), b.data(), count);
      std::vector<T> inPlace = a;
      reduceInto(type, op, inPlace.data(), b.data(), count);
      for (std::size_t i = 0; i < count; ++i) {
        const double expected = referenceOp(op, static_cast<double>(Traits::load(a[i])),
                                            static_cast<double>(Traits::load(b[i])));
        ASSERT_EQ(static_cast<double>(Traits::load(out[i])), expected)
            << name(type) << " " << name(op) << " i=" << i;
        ASSERT_EQ(static_cast<double>(Traits::load(inPlace[i])), expected);
      }
    }
  }
}

void checkVariant(ReduceIntoFn into, ReduceToFn to) {
  checkType<float>(DataType::kFloat, into, to);
  checkType<double>(DataType::kDouble, into, to);
  checkType<std::int32_t>(DataType::kInt32, into, to);
  checkType<Bf16>(DataType::kBf16, into, to);
  checkType<Half>(DataType::kHalf, into, to);
}

TEST(Reduce, EveryTypeAndOpMatchesScalarReference) {
  checkVariant(&reduceInto, &reduceTo);
}

TEST(Reduce, BaselineVariantMatchesScalarReference) {
  checkVariant(&reduceIntoBaseline, &reduceToBaseline);
}

TEST(Reduce, Avx2VariantMatchesScalarReference) {
#if TOPOPLAN_HAVE_AVX2_KERNELS
  if (!cpuRunsAvx2Kernels()) {
    GTEST_SKIP() << "this CPU has no AVX2/F16C/FMA";
  }
  checkVariant(&reduceIntoAvx2, &reduceToAvx2);
  // Rounding of the hardware conversion: 2048 + 1 ties to even (2048), 2048 + 3 rounds to 2052.
  Half a[2] = {floatToHalf(2048.0f), floatToHalf(2048.0f)};
  const Half b[2] = {floatToHalf(1.0f), floatToHalf(3.0f)};
  reduceIntoAvx2(DataType::kHalf, ReduceOp::kSum, a, b, 2);
  EXPECT_EQ(halfToFloat(a[0]), 2048.0f);
  EXPECT_EQ(halfToFloat(a[1]), 2052.0f);
#else
  GTEST_SKIP() << "not an x86-64 build";
#endif
}

TEST(Reduce, Int32WrapsInsteadOfOverflowing) {
  std::int32_t a = 2147483647, b = 1;
  reduceInto(DataType::kInt32, ReduceOp::kSum, &a, &b, 1);
  EXPECT_EQ(a, -2147483647 - 1);
}

TEST(Reduce, HalfSumRoundsTheFloatResult) {
  // 2048 + 1 is not representable in half: round to nearest even gives 2048.
  Half a = floatToHalf(2048.0f), b = floatToHalf(1.0f);
  reduceInto(DataType::kHalf, ReduceOp::kSum, &a, &b, 1);
  EXPECT_EQ(halfToFloat(a), 2048.0f);
}

}  // namespace
}  // namespace topoplan
