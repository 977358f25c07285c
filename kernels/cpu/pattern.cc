#include "kernels/cpu/pattern.h"

#include "kernels/cpu/element.h"
#include "kernels/pattern_formula.h"

namespace topoplan {
namespace {

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
  return pattern::input(type, op, rank, ranks, index);
}

double patternResult(DataType type, ReduceOp op, int ranks, std::uint64_t index) {
  return pattern::result(type, op, ranks, index);
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
