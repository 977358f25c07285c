// ElementTraits<T>: how each storage type is loaded into and stored from its compute type, and
// the dispatch from a runtime DataType to a template instantiation.
#pragma once

#include <cstdint>
#include <utility>

#include "core/data_type.h"
#include "kernels/cpu/half.h"

namespace topoplan {

template <typename T>
struct ElementTraits {
  using Compute = T;
  static Compute load(T value) { return value; }
  static T store(Compute value) { return value; }
};

template <>
struct ElementTraits<Half> {
  using Compute = float;
  static float load(Half value) { return halfToFloat(value); }
  static Half store(float value) { return floatToHalf(value); }
};

template <>
struct ElementTraits<Bf16> {
  using Compute = float;
  static float load(Bf16 value) { return bf16ToFloat(value); }
  static Bf16 store(float value) { return floatToBf16(value); }
};

// Calls fn(T{}) with T the storage type of `type`.
template <typename Fn>
decltype(auto) visitDataType(DataType type, Fn&& fn) {
  switch (type) {
    case DataType::kFloat:
      return std::forward<Fn>(fn)(float{});
    case DataType::kDouble:
      return std::forward<Fn>(fn)(double{});
    case DataType::kInt32:
      return std::forward<Fn>(fn)(std::int32_t{});
    case DataType::kBf16:
      return std::forward<Fn>(fn)(Bf16{});
    case DataType::kHalf:
      return std::forward<Fn>(fn)(Half{});
  }
  return std::forward<Fn>(fn)(float{});
}

}  // namespace topoplan
