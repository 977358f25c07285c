// Self-checking AllReduce data: each rank's value at each index is a function of
// (op, rank, ranks, index), chosen so that every partial result is a small integer (exact in
// every data type, whatever the reduction order) and the reduced value has a closed form.
// The verifier therefore knows the exact answer for every element without a second run.
//
//   sum:  v = (rank + index) mod 4 - 1, in [-1, 2]; partial sums stay within 2 * ranks. When that
//         is not exact in the type (bf16 beyond 128 ranks, half beyond 1024), only the rank
//         index mod ranks contributes 1.
//   prod: v = 2 on rank (index mod ranks), -1 on the next rank, 1 elsewhere: product -2 (2 alone).
//   min, max: v = (rank + index) mod 64 - 32, in [-32, 31].
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/data_type.h"

namespace topoplan {

// The value `rank` contributes at `index`.
double patternInput(DataType type, ReduceOp op, int rank, int ranks, std::uint64_t index);

// The exact reduced value at `index`.
double patternResult(DataType type, ReduceOp op, int ranks, std::uint64_t index);

// Fills `count` elements of `buffer` with this rank's inputs.
void fillPattern(DataType type, ReduceOp op, int rank, int ranks, void* buffer, std::size_t count);

// Elements of `buffer` that differ from the exact reduced result.
std::uint64_t countWrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                std::size_t count);

// Elements of `buffer` that differ from this rank's inputs (a send buffer must stay unchanged).
std::uint64_t countWrongInputs(DataType type, ReduceOp op, int rank, int ranks, const void* buffer,
                               std::size_t count);

}  // namespace topoplan
