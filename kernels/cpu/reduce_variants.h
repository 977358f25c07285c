// The instruction-set variants of the reduction kernels; reduce.cc picks one at run time.
#pragma once

#include <cstddef>

#include "core/data_type.h"

namespace topoplan {

// Plain x86-64 (SSE2) or whatever the target's baseline is.
void reduceIntoBaseline(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count);
void reduceToBaseline(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
                      std::size_t count);

// AVX2 + F16C + FMA (x86-64 only): 32-byte vectors and hardware half <-> float conversion.
void reduceIntoAvx2(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count);
void reduceToAvx2(DataType type, ReduceOp op, void* dst, const void* a, const void* b,
                  std::size_t count);
// Whether this CPU has AVX2, F16C and FMA (read once).
bool cpuRunsAvx2Kernels();

}  // namespace topoplan
