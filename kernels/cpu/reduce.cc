#include "kernels/cpu/reduce.h"

#include "kernels/cpu/reduce_variants.h"
#include "topoplan/config.h"

namespace topoplan {
namespace {

#if TOPOPLAN_HAVE_AVX2_KERNELS
bool useAvx2() {
  static const bool supported = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c") &&
                                __builtin_cpu_supports("fma");
  return supported;
}
#endif

}  // namespace

void reduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count) {
#if TOPOPLAN_HAVE_AVX2_KERNELS
  if (useAvx2()) return reduceIntoAvx2(type, op, dst, src, count);
#endif
  reduceIntoBaseline(type, op, dst, src, count);
}

void reduceTo(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
              std::size_t count) {
#if TOPOPLAN_HAVE_AVX2_KERNELS
  if (useAvx2()) return reduceToAvx2(type, op, dst, a, b, count);
#endif
  reduceToBaseline(type, op, dst, a, b, count);
}

}  // namespace topoplan
