// Device-side kernels for GPU AllReduce: element-wise reduction for every DataType and
// ReduceOp, and the self-checking pattern (kernels/pattern_formula.h) filled and verified on the
// device, so that --check costs no host round trip. CUDA error codes become Errors here.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>

#include "core/data_type.h"
#include "core/result.h"

namespace topoplan::cuda {

// An Error for a failed CUDA call, with CUDA's name and text for `code`.
Error cudaError(cudaError_t code, const char* call, const char* file, int line);

#define TOPOPLAN_CUDA_TRY(call)                                                           \
  do {                                                                                    \
    const cudaError_t topoplan_cuda_code_ = (call);                                       \
    if (topoplan_cuda_code_ != cudaSuccess) {                                             \
      return ::topoplan::cuda::cudaError(topoplan_cuda_code_, #call, __FILE__, __LINE__); \
    }                                                                                     \
  } while (0)

// Number of usable CUDA devices; 0 (not an error) when there is no driver or no device.
int deviceCount();

// dst[i] = dst[i] op src[i] on the device, asynchronously on `stream`.
Status reduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count,
                  cudaStream_t stream);

// Fills `count` elements with this rank's pattern inputs, asynchronously on `stream`.
Status fillPattern(DataType type, ReduceOp op, int rank, int ranks, void* buffer, std::size_t count,
                   cudaStream_t stream);

// Elements that differ from the exact reduced result; synchronizes `stream`.
Result<std::uint64_t> countWrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                        std::size_t count, cudaStream_t stream);

// Elements that differ from this rank's pattern inputs; synchronizes `stream`.
Result<std::uint64_t> countWrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                       const void* buffer, std::size_t count, cudaStream_t stream);

}  // namespace topoplan::cuda
