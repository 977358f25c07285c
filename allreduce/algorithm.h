// The AllReduce algorithm interface: every implementation sees only a Comm (or, for adapters,
// the native library behind it) and the buffers.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "allreduce/sweep_buffers.h"
#include "core/comm.h"
#include "core/data_type.h"
#include "core/result.h"

namespace topoplan {

struct AllreduceArgs {
  const void* send = nullptr;  // equal to recv for in-place
  void* recv = nullptr;
  std::size_t count = 0;  // elements
  DataType type = DataType::kFloat;
  ReduceOp op = ReduceOp::kSum;

  bool inPlace() const { return send == recv; }
  std::size_t bytes() const { return count * sizeOf(type); }
};

// Tuning shared by the chunked algorithms.
struct AlgorithmOptions {
  std::size_t chunkBytes = 256 * 1024;  // pipeline unit for ring and tree
};

// Runs a blocking library call (`call`) under the caller's deadline (MpiJob::blocking); `what`
// names it. The adapters take one for the calls they cannot poll.
using BlockingGuard =
    std::function<Status(const std::string& what, const std::function<Status()>& call)>;

class AllreduceAlgorithm {
 public:
  virtual ~AllreduceAlgorithm() = default;
  virtual std::string_view name() const = 0;
  // Every rank calls run with the same count, type and op; afterwards every rank's recv holds
  // the reduction of all ranks' send buffers.
  virtual Status run(Comm& comm, const AllreduceArgs& args) = 0;
  // Where run()'s buffers live: host memory unless the algorithm works on a device.
  virtual std::unique_ptr<SweepBuffers> makeBuffers() { return std::make_unique<HostBuffers>(); }
};

}  // namespace topoplan
