// The self-checking pattern's formulas (see kernels/cpu/pattern.h), shared by the CPU and CUDA
// kernels so that both sides produce and verify exactly the same data.
#pragma once

#include <cstdint>

#include "core/data_type.h"

#if defined(__CUDACC__)
#define TOPOPLAN_HOST_DEVICE __host__ __device__
#else
#define TOPOPLAN_HOST_DEVICE
#endif

namespace topoplan::pattern {

// The largest integer every smaller integer of which the type holds exactly.
TOPOPLAN_HOST_DEVICE inline double exactIntegerLimit(DataType type) {
  switch (type) {
    case DataType::kBf16:
      return 256;
    case DataType::kHalf:
      return 2048;
    case DataType::kFloat:
      return 16777216.0;
    case DataType::kDouble:
      return 9007199254740992.0;
    case DataType::kInt32:
      return 2147483647.0;
  }
  return 0;
}

TOPOPLAN_HOST_DEVICE inline bool smallSumPattern(DataType type, int ranks) {
  return 2.0 * ranks <= exactIntegerLimit(type);
}

TOPOPLAN_HOST_DEVICE inline double input(DataType type, ReduceOp op, int rank, int ranks,
                                         std::uint64_t index) {
  const std::uint64_t r = static_cast<std::uint64_t>(rank);
  const std::uint64_t n = static_cast<std::uint64_t>(ranks);
  switch (op) {
    case ReduceOp::kSum:
      if (smallSumPattern(type, ranks)) return static_cast<double>((r + index) % 4) - 1.0;
      return index % n == r ? 1.0 : 0.0;
    case ReduceOp::kProd:
      if (index % n == r) return 2.0;
      if (n > 1 && (index + 1) % n == r) return -1.0;
      return 1.0;
    case ReduceOp::kMin:
    case ReduceOp::kMax:
      return static_cast<double>((r + index) % 64) - 32.0;
  }
  return 0;
}

TOPOPLAN_HOST_DEVICE inline double result(DataType type, ReduceOp op, int ranks,
                                          std::uint64_t index) {
  const std::uint64_t n = static_cast<std::uint64_t>(ranks);
  switch (op) {
    case ReduceOp::kSum: {
      if (!smallSumPattern(type, ranks)) return 1.0;
      double sum = 2.0 * static_cast<double>(n / 4);  // each full cycle adds -1 + 0 + 1 + 2
      for (std::uint64_t k = 0; k < n % 4; ++k) sum += static_cast<double>((index + k) % 4) - 1.0;
      return sum;
    }
    case ReduceOp::kProd:
      return n > 1 ? -2.0 : 2.0;
    case ReduceOp::kMin:
    case ReduceOp::kMax: {
      const std::uint64_t start = index % 64;
      const bool wraps = start + n - 1 >= 64;
      if (op == ReduceOp::kMin) return wraps ? -32.0 : static_cast<double>(start) - 32.0;
      return wraps ? 31.0 : static_cast<double>(start + n - 1) - 32.0;
    }
  }
  return 0;
}

}  // namespace topoplan::pattern
