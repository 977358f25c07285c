#include "kernels/cpu/reduce_loops.h"
#include "kernels/cpu/reduce_variants.h"

namespace topoplan {

void reduceIntoBaseline(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count) {
  dispatchReduceInto<ElementTraits>(type, op, dst, src, count);
}

void reduceToBaseline(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
                      std::size_t count) {
  dispatchReduceTo<ElementTraits>(type, op, dst, a, b, count);
}

}  // namespace topoplan
