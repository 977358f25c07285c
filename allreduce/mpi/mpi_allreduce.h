// The `mpi` algorithm: MPI_Allreduce itself, the peer that own algorithms are measured against.
//
// float, double and int32 use MPI's predefined types and ops. MPI has no 16-bit float types
// (Open MPI 4.1), so bf16 and half travel as 2-byte elements with user-defined ops that call
// the same kernels/cpu reductions as our own algorithms.
#pragma once

#include <mpi.h>

#include <map>
#include <utility>

#include "allreduce/algorithm.h"

namespace topoplan {

class MpiAllreduce final : public AllreduceAlgorithm {
 public:
  // Runs the blocking MPI_Allreduce under `guard` (the caller's deadline); without one the call
  // runs as it is.
  explicit MpiAllreduce(MPI_Comm comm, BlockingGuard guard = {})
      : comm_(comm), guard_(std::move(guard)) {}
  ~MpiAllreduce() override;
  MpiAllreduce(const MpiAllreduce&) = delete;
  MpiAllreduce& operator=(const MpiAllreduce&) = delete;

  std::string_view name() const override { return "mpi"; }
  // Uses its own MPI communicator; `comm` is not used for data.
  Status run(Comm& comm, const AllreduceArgs& args) override;

 private:
  Result<MPI_Op> userOp(DataType type, ReduceOp op);

  MPI_Comm comm_;
  BlockingGuard guard_;
  MPI_Datatype halfType_ = MPI_DATATYPE_NULL;
  std::map<std::pair<DataType, ReduceOp>, MPI_Op> userOps_;
};

}  // namespace topoplan
