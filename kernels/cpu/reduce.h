// Element-wise reduction kernels for every DataType and ReduceOp.
//
// Each is one loop over restrict-qualified arrays that the compiler auto-vectorizes (build with
// -DTOPOPLAN_VECTOR_REPORT=ON to see it say so). int32 sum and prod wrap around modulo 2^32
// instead of overflowing; half and bf16 are computed in float and rounded to nearest-even.
#pragma once

#include <cstddef>

#include "core/data_type.h"

namespace topoplan {

// dst[i] = dst[i] op src[i]. dst and src must not overlap.
void reduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count);

// dst[i] = a[i] op b[i]. dst must overlap neither a nor b.
void reduceTo(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
              std::size_t count);

}  // namespace topoplan
