#include "allreduce/nccl/device_buffers.h"

#include <string>

#include "kernels/cuda/device_kernels.h"

namespace topoplan {

DeviceBuffers::~DeviceBuffers() {
  cudaFree(send_);
  cudaFree(recv_);
  if (start_) cudaEventDestroy(start_);
}

Status DeviceBuffers::reserve(std::uint64_t bytes) {
  const std::string what = "-e: the send and receive buffers of the largest size (2 x " +
                           std::to_string(bytes) + " bytes) on cuda" + std::to_string(device_);
  auto allocate = [&](void** buffer) -> Status {
    TOPOPLAN_CUDA_TRY(cudaMalloc(buffer, bytes == 0 ? 1 : bytes));
    return okStatus();
  };
  Status status = allocate(&send_);
  if (status) status = allocate(&recv_);
  if (!status) return status.error().context(what);
  TOPOPLAN_CUDA_TRY(cudaEventCreate(&start_));
  return okStatus();
}

Status DeviceBuffers::fill(DataType type, ReduceOp op, int rank, int ranks, void* buffer,
                           std::size_t count) {
  return cuda::fillPattern(type, op, rank, ranks, buffer, count, stream_);
}

Status DeviceBuffers::poison(void* buffer, std::size_t bytes) {
  TOPOPLAN_CUDA_TRY(cudaMemsetAsync(buffer, 0xff, bytes, stream_));
  return okStatus();
}

Result<std::uint64_t> DeviceBuffers::wrongResults(DataType type, ReduceOp op, int ranks,
                                                  const void* buffer, std::size_t count) {
  return cuda::countWrongResults(type, op, ranks, buffer, count, stream_);
}

Result<std::uint64_t> DeviceBuffers::wrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                                 const void* buffer, std::size_t count) {
  return cuda::countWrongInputs(type, op, rank, ranks, buffer, count, stream_);
}

Result<double> DeviceBuffers::time(const std::function<Status()>& iteration) {
  TOPOPLAN_CUDA_TRY(cudaEventRecord(start_, stream_));
  TOPOPLAN_TRY(iteration());
  float milliseconds = 0;
  TOPOPLAN_CUDA_TRY(cudaEventElapsedTime(&milliseconds, start_, done_));
  return static_cast<double>(milliseconds) * 1000.0;
}

}  // namespace topoplan
