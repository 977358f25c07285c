#include "kernels/cpu/pattern.h"

#include <gtest/gtest.h>

#include <vector>

#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

// Reducing every rank's filled buffer with the real kernels, in rank order and in reverse,
// gives exactly the closed-form result, for every type, op and world size up to 300.
TEST(Pattern, ClosedFormMatchesActualReduction) {
  const std::size_t count = 131;
  for (DataType type : kAllDataTypes) {
    for (ReduceOp op : kAllReduceOps) {
      for (int ranks : {1, 2, 3, 4, 5, 7, 16, 63, 64, 65, 129, 300}) {
        const std::size_t bytes = count * sizeOf(type);
        std::vector<std::byte> forward(bytes), backward(bytes), input(bytes);
        fillPattern(type, op, 0, ranks, forward.data(), count);
        fillPattern(type, op, ranks - 1, ranks, backward.data(), count);
        for (int r = 1; r < ranks; ++r) {
          fillPattern(type, op, r, ranks, input.data(), count);
          reduceInto(type, op, forward.data(), input.data(), count);
          fillPattern(type, op, ranks - 1 - r, ranks, input.data(), count);
          reduceInto(type, op, backward.data(), input.data(), count);
        }
        EXPECT_EQ(countWrongResults(type, op, ranks, forward.data(), count), 0u)
            << name(type) << " " << name(op) << " ranks=" << ranks;
        EXPECT_EQ(countWrongResults(type, op, ranks, backward.data(), count), 0u)
            << name(type) << " " << name(op) << " ranks=" << ranks;
      }
    }
  }
}

TEST(Pattern, DetectsOneCorruptElementAndAMissingRank) {
  const std::size_t count = 64;
  std::vector<float> sum(count), other(count);
  fillPattern(DataType::kFloat, ReduceOp::kSum, 0, 3, sum.data(), count);
  fillPattern(DataType::kFloat, ReduceOp::kSum, 1, 3, other.data(), count);
  reduceInto(DataType::kFloat, ReduceOp::kSum, sum.data(), other.data(), count);
  // Rank 2's contribution is missing: most elements are wrong.
  EXPECT_GT(countWrongResults(DataType::kFloat, ReduceOp::kSum, 3, sum.data(), count), count / 2);
  fillPattern(DataType::kFloat, ReduceOp::kSum, 2, 3, other.data(), count);
  reduceInto(DataType::kFloat, ReduceOp::kSum, sum.data(), other.data(), count);
  EXPECT_EQ(countWrongResults(DataType::kFloat, ReduceOp::kSum, 3, sum.data(), count), 0u);
  sum[17] += 1;
  EXPECT_EQ(countWrongResults(DataType::kFloat, ReduceOp::kSum, 3, sum.data(), count), 1u);
  EXPECT_EQ(countWrongInputs(DataType::kFloat, ReduceOp::kSum, 2, 3, other.data(), count), 0u);
}

}  // namespace
}  // namespace topoplan
