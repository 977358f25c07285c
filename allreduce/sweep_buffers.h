// Where a sweep's send and receive buffers live and how one iteration is timed. HostBuffers
// (host memory, a steady clock, the CPU pattern) serves the algorithms over Comm and MPI; the
// nccl adapter brings device memory, CUDA events and the device-side pattern.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/data_type.h"
#include "core/result.h"

namespace topoplan {

class SweepBuffers {
 public:
  virtual ~SweepBuffers() = default;
  // Send and receive buffers of `bytes` each; called once, with the largest size.
  virtual Status reserve(std::uint64_t bytes) = 0;
  virtual void* send() = 0;
  virtual void* recv() = 0;
  // This rank's pattern inputs (kernels/pattern_formula.h) into `count` elements of `buffer`.
  virtual Status fill(DataType type, ReduceOp op, int rank, int ranks, void* buffer,
                      std::size_t count) = 0;
  // Overwrites `bytes` with 0xff (NaN or -1), never a correct result.
  virtual Status poison(void* buffer, std::size_t bytes) = 0;
  // Elements that differ from the exact reduced result.
  virtual Result<std::uint64_t> wrongResults(DataType type, ReduceOp op, int ranks,
                                             const void* buffer, std::size_t count) = 0;
  // Elements that differ from this rank's inputs (a send buffer must stay unchanged).
  virtual Result<std::uint64_t> wrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                            const void* buffer, std::size_t count) = 0;
  // Runs `iteration` once; how long it took, in microseconds.
  virtual Result<double> time(const std::function<Status()>& iteration) = 0;
};

// Refuses send and receive buffers of `bytes` each that would not fit in host memory.
Status checkHostBuffers(std::uint64_t bytes);

class HostBuffers final : public SweepBuffers {
 public:
  Status reserve(std::uint64_t bytes) override;
  void* send() override { return send_.data(); }
  void* recv() override { return recv_.data(); }
  Status fill(DataType type, ReduceOp op, int rank, int ranks, void* buffer,
              std::size_t count) override;
  Status poison(void* buffer, std::size_t bytes) override;
  Result<std::uint64_t> wrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                     std::size_t count) override;
  Result<std::uint64_t> wrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                    const void* buffer, std::size_t count) override;
  Result<double> time(const std::function<Status()>& iteration) override;

 private:
  std::vector<std::byte> send_, recv_;
};

}  // namespace topoplan
