#include <chrono>
#include <cstring>

#include "allreduce/sweep_buffers.h"
#include "core/memory.h"
#include "kernels/cpu/pattern.h"

namespace topoplan {

Status checkHostBuffers(std::uint64_t bytes) {
  // Two buffers of the largest size: refuse before allocating (and before 2 x overflows).
  if (bytes > UINT64_MAX / 2) {
    return Error("-e " + std::to_string(bytes) + ": expected a size below 2^63 bytes");
  }
  return checkFitsInMemory(2 * bytes, "-e: the send and receive buffers of the largest size");
}

Status HostBuffers::reserve(std::uint64_t bytes) {
  TOPOPLAN_TRY(checkHostBuffers(bytes));
  send_.resize(bytes);
  recv_.resize(bytes);
  return okStatus();
}

Status HostBuffers::fill(DataType type, ReduceOp op, int rank, int ranks, void* buffer,
                         std::size_t count) {
  fillPattern(type, op, rank, ranks, buffer, count);
  return okStatus();
}

Status HostBuffers::poison(void* buffer, std::size_t bytes) {
  std::memset(buffer, 0xff, bytes);
  return okStatus();
}

Result<std::uint64_t> HostBuffers::wrongResults(DataType type, ReduceOp op, int ranks,
                                                const void* buffer, std::size_t count) {
  return countWrongResults(type, op, ranks, buffer, count);
}

Result<std::uint64_t> HostBuffers::wrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                               const void* buffer, std::size_t count) {
  return countWrongInputs(type, op, rank, ranks, buffer, count);
}

Result<double> HostBuffers::time(const std::function<Status()>& iteration) {
  const auto start = std::chrono::steady_clock::now();
  Status status = iteration();
  const auto stop = std::chrono::steady_clock::now();
  if (!status) return status.error();
  return std::chrono::duration<double, std::micro>(stop - start).count();
}

}  // namespace topoplan
