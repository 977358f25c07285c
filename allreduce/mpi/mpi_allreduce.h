// The `mpi` algorithm: MPI_Allreduce itself, the peer that own algorithms are measured against.
//
// float, double and int32 use MPI's predefined types and ops. MPI has no 16-bit float types
// (Open MPI 4.1), so bf16 and half travel as 2-byte elements with user-defined ops that call
// the same kernels/cpu reductions as our own algorithms.
#pragma once

#include <mpi.h>

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "allreduce/algorithm.h"

namespace topoplan {

class MpiAllreduce final : public AllreduceAlgorithm {
 public:
  // Completes a request of MPI_Iallreduce; `what` names it in errors. The transport's wait
  // (MpiComm::waitNative) brings its deadline; without one, MPI_Wait.
  using Wait = std::function<Status(MPI_Request& request, const std::string& what)>;

  explicit MpiAllreduce(MPI_Comm comm, Wait wait = {}) : comm_(comm), wait_(std::move(wait)) {}
  ~MpiAllreduce() override;
  MpiAllreduce(const MpiAllreduce&) = delete;
  MpiAllreduce& operator=(const MpiAllreduce&) = delete;

  std::string_view name() const override { return "mpi"; }
  // Uses its own MPI communicator; `comm` is not used for data.
  Status run(Comm& comm, const AllreduceArgs& args) override;

 private:
  Result<MPI_Op> userOp(DataType type, ReduceOp op);

  MPI_Comm comm_;
  Wait wait_;
  MPI_Datatype halfType_ = MPI_DATATYPE_NULL;
  std::map<std::pair<DataType, ReduceOp>, MPI_Op> userOps_;
};

}  // namespace topoplan
