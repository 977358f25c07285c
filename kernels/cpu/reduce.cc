#include "kernels/cpu/reduce.h"

#include "kernels/cpu/reduce_variants.h"
#include "topoplan/config.h"

#if TOPOPLAN_HAVE_AVX2_KERNELS
#include <cpuid.h>
#endif

namespace topoplan {
namespace {

#if TOPOPLAN_HAVE_AVX2_KERNELS
// F16C from CPUID leaf 1 (clang's __builtin_cpu_supports does not know the name).
bool hasF16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  return __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_F16C) != 0;
}

#endif

}  // namespace

#if TOPOPLAN_HAVE_AVX2_KERNELS
bool cpuRunsAvx2Kernels() {
  static const bool supported =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && hasF16c();
  return supported;
}
#endif

void reduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count) {
#if TOPOPLAN_HAVE_AVX2_KERNELS
  if (cpuRunsAvx2Kernels()) return reduceIntoAvx2(type, op, dst, src, count);
#endif
  reduceIntoBaseline(type, op, dst, src, count);
}

void reduceTo(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
              std::size_t count) {
#if TOPOPLAN_HAVE_AVX2_KERNELS
  if (cpuRunsAvx2Kernels()) return reduceToAvx2(type, op, dst, a, b, count);
#endif
  reduceToBaseline(type, op, dst, a, b, count);
}

}  // namespace topoplan
