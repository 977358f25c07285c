#include "kernels/cpu/pattern.h"

#include "kernels/cpu/element.h"

namespace topoplan {
namespace {

// The largest integer every smaller integer of which the type holds exactly.
double exactIntegerLimit(DataType type) {
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

bool smallSumPattern(DataType type, int ranks) {
  return 2.0 * ranks <= exactIntegerLimit(type);
}

template <typename T, typename Expected>
std::uint64_t countMismatches(const void* buffer, std::size_t count, Expected expected) {
  const T* data = static_cast<const T*>(buffer);
  std::uint64_t wrong = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double actual = static_cast<double>(ElementTraits<T>::load(data[i]));
    if (!(actual == expected(i))) ++wrong;
  }
  return wrong;
}

}  // namespace

double patternInput(DataType type, ReduceOp op, int rank, int ranks, std::uint64_t index) {
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

double patternResult(DataType type, ReduceOp op, int ranks, std::uint64_t index) {
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

void fillPattern(DataType type, ReduceOp op, int rank, int ranks, void* buffer, std::size_t count) {
  visitDataType(type, [&](auto element) {
    using T = decltype(element);
    using Traits = ElementTraits<T>;
    T* data = static_cast<T*>(buffer);
    for (std::size_t i = 0; i < count; ++i) {
      data[i] = Traits::store(
          static_cast<typename Traits::Compute>(patternInput(type, op, rank, ranks, i)));
    }
  });
}

std::uint64_t countWrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                std::size_t count) {
  return visitDataType(type, [&](auto element) {
    return countMismatches<decltype(element)>(
        buffer, count, [&](std::size_t i) { return patternResult(type, op, ranks, i); });
  });
}

std::uint64_t countWrongInputs(DataType type, ReduceOp op, int rank, int ranks, const void* buffer,
                               std::size_t count) {
  return visitDataType(type, [&](auto element) {
    return countMismatches<decltype(element)>(
        buffer, count, [&](std::size_t i) { return patternInput(type, op, rank, ranks, i); });
  });
}

}  // namespace topoplan
