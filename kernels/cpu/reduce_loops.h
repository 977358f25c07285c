// The reduction loops, included by each instruction-set variant (reduce_baseline.cc,
// reduce_avx2.cc) so that every variant compiles the same source with its own flags. Everything
// here has internal linkage: each variant gets its own copy.
#pragma once

#include <cstddef>
#include <type_traits>

#include "kernels/cpu/element.h"

namespace topoplan {
namespace {

template <typename C>
C wrapAdd(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    return static_cast<C>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

template <typename C>
C wrapMul(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    return static_cast<C>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    return a * b;
  }
}

struct Sum {
  template <typename C>
  static C apply(C a, C b) {
    return wrapAdd(a, b);
  }
};
struct Prod {
  template <typename C>
  static C apply(C a, C b) {
    return wrapMul(a, b);
  }
};
struct Min {
  template <typename C>
  static C apply(C a, C b) {
    return b < a ? b : a;
  }
};
struct Max {
  template <typename C>
  static C apply(C a, C b) {
    return a < b ? b : a;
  }
};

template <template <typename> class Element, typename T, typename Op>
void reduceIntoLoop(T* __restrict dst, const T* __restrict src, std::size_t count) {
  using Traits = Element<T>;
  for (std::size_t i = 0; i < count; ++i) {
    dst[i] = Traits::store(Op::apply(Traits::load(dst[i]), Traits::load(src[i])));
  }
}

template <template <typename> class Element, typename T, typename Op>
void reduceToLoop(T* __restrict dst, const T* __restrict a, const T* __restrict b,
                  std::size_t count) {
  using Traits = Element<T>;
  for (std::size_t i = 0; i < count; ++i) {
    dst[i] = Traits::store(Op::apply(Traits::load(a[i]), Traits::load(b[i])));
  }
}

template <typename Fn>
void visitOp(ReduceOp op, Fn&& fn) {
  switch (op) {
    case ReduceOp::kSum:
      return fn(Sum{});
    case ReduceOp::kProd:
      return fn(Prod{});
    case ReduceOp::kMin:
      return fn(Min{});
    case ReduceOp::kMax:
      return fn(Max{});
  }
}

// Instantiates the loops for a runtime (type, op) with element traits `Element`.
template <template <typename> class Element>
void dispatchReduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count) {
  visitDataType(type, [&](auto element) {
    using T = decltype(element);
    visitOp(op, [&](auto opTag) {
      reduceIntoLoop<Element, T, decltype(opTag)>(static_cast<T*>(dst), static_cast<const T*>(src),
                                                  count);
    });
  });
}

template <template <typename> class Element>
void dispatchReduceTo(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
                      std::size_t count) {
  visitDataType(type, [&](auto element) {
    using T = decltype(element);
    visitOp(op, [&](auto opTag) {
      reduceToLoop<Element, T, decltype(opTag)>(static_cast<T*>(dst), static_cast<const T*>(a),
                                                static_cast<const T*>(b), count);
    });
  });
}

}  // namespace
}  // namespace topoplan
