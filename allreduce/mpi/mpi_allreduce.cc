#include "allreduce/mpi/mpi_allreduce.h"

#include <climits>
#include <string>

#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

Status mpiStatus(int code, const char* call) {
  if (code == MPI_SUCCESS) return okStatus();
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return Error(std::string(call) + " failed: " + std::string(text, length) + " (" __FILE__ ")");
}

MPI_Op predefinedOp(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return MPI_SUM;
    case ReduceOp::kProd:
      return MPI_PROD;
    case ReduceOp::kMin:
      return MPI_MIN;
    case ReduceOp::kMax:
      return MPI_MAX;
  }
  return MPI_SUM;
}

// MPI_User_function for a 16-bit type: inout = in op inout.
template <DataType kType, ReduceOp kOp>
void userReduce(void* in, void* inout, int* length, MPI_Datatype*) {
  reduceInto(kType, kOp, inout, in, static_cast<std::size_t>(*length));
}

template <DataType kType>
MPI_User_function* userFunction(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return &userReduce<kType, ReduceOp::kSum>;
    case ReduceOp::kProd:
      return &userReduce<kType, ReduceOp::kProd>;
    case ReduceOp::kMin:
      return &userReduce<kType, ReduceOp::kMin>;
    case ReduceOp::kMax:
      return &userReduce<kType, ReduceOp::kMax>;
  }
  return nullptr;
}

}  // namespace

MpiAllreduce::~MpiAllreduce() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  for (auto& [key, op] : userOps_) MPI_Op_free(&op);
  if (halfType_ != MPI_DATATYPE_NULL) MPI_Type_free(&halfType_);
}

Result<MPI_Op> MpiAllreduce::userOp(DataType type, ReduceOp op) {
  auto it = userOps_.find({type, op});
  if (it != userOps_.end()) return it->second;
  MPI_Op created = MPI_OP_NULL;
  MPI_User_function* function = type == DataType::kHalf ? userFunction<DataType::kHalf>(op)
                                                        : userFunction<DataType::kBf16>(op);
  TOPOPLAN_TRY(mpiStatus(MPI_Op_create(function, /*commute=*/1, &created), "MPI_Op_create"));
  userOps_.emplace(std::pair{type, op}, created);
  return created;
}

Status MpiAllreduce::run(Comm&, const AllreduceArgs& args) {
  if (args.count > static_cast<std::size_t>(INT_MAX)) {
    return Error("mpi: " + std::to_string(args.count) +
                 " elements exceed MPI_Allreduce's int count: expected at most " +
                 std::to_string(INT_MAX));
  }
  MPI_Datatype datatype = MPI_FLOAT;
  MPI_Op op = predefinedOp(args.op);
  switch (args.type) {
    case DataType::kFloat:
      datatype = MPI_FLOAT;
      break;
    case DataType::kDouble:
      datatype = MPI_DOUBLE;
      break;
    case DataType::kInt32:
      datatype = MPI_INT32_T;
      break;
    case DataType::kBf16:
    case DataType::kHalf: {
      if (halfType_ == MPI_DATATYPE_NULL) {
        TOPOPLAN_TRY(
            mpiStatus(MPI_Type_contiguous(2, MPI_BYTE, &halfType_), "MPI_Type_contiguous"));
        TOPOPLAN_TRY(mpiStatus(MPI_Type_commit(&halfType_), "MPI_Type_commit"));
      }
      datatype = halfType_;
      auto user = userOp(args.type, args.op);
      if (!user) return user.error();
      op = *user;
      break;
    }
  }
  const void* send = args.inPlace() ? MPI_IN_PLACE : args.send;
  const auto call = [&] {
    return mpiStatus(
        MPI_Allreduce(send, args.recv, static_cast<int>(args.count), datatype, op, comm_),
        "MPI_Allreduce");
  };
  if (!guard_) return call();
  return guard_("MPI_Allreduce of " + std::to_string(args.bytes()) + " bytes", call);
}

}  // namespace topoplan
