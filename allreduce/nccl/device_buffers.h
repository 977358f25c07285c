// SweepBuffers in GPU memory: the pattern is filled and verified by device kernels
// (kernels/cuda), so --check costs no host round trip, and each iteration is timed with CUDA
// events on the algorithm's stream: from an event recorded before the iteration to `done`, which
// the iteration records as soon as its work is queued (so the host's wait for it is not timed).
#pragma once

#include <cuda_runtime_api.h>

#include "allreduce/sweep_buffers.h"

namespace topoplan {

class DeviceBuffers final : public SweepBuffers {
 public:
  // `device`: the current CUDA device, named in errors; work goes to `stream`; `done`: the
  // algorithm's event (see above), complete when an iteration returns.
  DeviceBuffers(int device, cudaStream_t stream, cudaEvent_t done)
      : device_(device), stream_(stream), done_(done) {}
  ~DeviceBuffers() override;
  DeviceBuffers(const DeviceBuffers&) = delete;
  DeviceBuffers& operator=(const DeviceBuffers&) = delete;

  Status reserve(std::uint64_t bytes) override;
  void* send() override { return send_; }
  void* recv() override { return recv_; }
  Status fill(DataType type, ReduceOp op, int rank, int ranks, void* buffer,
              std::size_t count) override;
  Status poison(void* buffer, std::size_t bytes) override;
  Result<std::uint64_t> wrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                     std::size_t count) override;
  Result<std::uint64_t> wrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                    const void* buffer, std::size_t count) override;
  Result<double> time(const std::function<Status()>& iteration) override;

 private:
  int device_;
  cudaStream_t stream_;
  void* send_ = nullptr;
  void* recv_ = nullptr;
  cudaEvent_t done_;
  cudaEvent_t start_ = nullptr;
};

}  // namespace topoplan
