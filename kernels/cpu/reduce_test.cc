#include "kernels/cpu/reduce.h"

#include <gtest/gtest.h>

#include <vector>

#include "kernels/cpu/element.h"

namespace topoplan {
namespace {

double referenceOp(ReduceOp op, double a, double b) {
  switch (op) {
    case ReduceOp::kSum: return a + b;
    case ReduceOp::kProd: return a * b;
    case ReduceOp::kMin: return std::min(a, b);
    case ReduceOp::kMax: return std::max(a, b);
  }
  return 0;
}

// Checks both kernels against a scalar reference for one type, on values whose results are
// exactly representable, with odd lengths so the vector loops' remainders are exercised.
template <typename T>
void checkType(DataType type) {
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

TEST(Reduce, EveryTypeAndOpMatchesScalarReference) {
  checkType<float>(DataType::kFloat);
  checkType<double>(DataType::kDouble);
  checkType<std::int32_t>(DataType::kInt32);
  checkType<Bf16>(DataType::kBf16);
  checkType<Half>(DataType::kHalf);
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
