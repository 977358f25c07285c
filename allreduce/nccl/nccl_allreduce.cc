#include "allreduce/nccl/nccl_allreduce.h"

#include <cuda_runtime_api.h>

#include <chrono>
#include <thread>
#include <vector>

#include "allreduce/nccl/device_buffers.h"
#include "allreduce/nccl/nccl_library.h"
#include "core/termination.h"
#include "core/units.h"
#include "kernels/cuda/device_kernels.h"

namespace topoplan {
namespace {

// NCCL's result codes become Errors here, with NCCL's own last message when a communicator has
// one.
Status ncclStatus(const NcclLibrary& nccl, ncclResult_t code, const std::string& call,
                  ncclComm_t comm = nullptr) {
  if (code == ncclSuccess) return okStatus();
  std::string message = call + " failed: " + nccl.getErrorString(code);
  if (const char* last = nccl.getLastError(comm); last && *last)
    message += " (" + std::string(last) + ")";
  return Error(message);
}

ncclDataType_t ncclType(DataType type) {
  switch (type) {
    case DataType::kFloat:
      return ncclFloat32;
    case DataType::kDouble:
      return ncclFloat64;
    case DataType::kInt32:
      return ncclInt32;
    case DataType::kBf16:
      return ncclBfloat16;
    case DataType::kHalf:
      return ncclFloat16;
  }
  return ncclFloat32;
}

ncclRedOp_t ncclOp(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return ncclSum;
    case ReduceOp::kProd:
      return ncclProd;
    case ReduceOp::kMin:
      return ncclMin;
    case ReduceOp::kMax:
      return ncclMax;
  }
  return ncclSum;
}

class NcclAllreduce final : public AllreduceAlgorithm {
 public:
  NcclAllreduce(std::shared_ptr<const NcclLibrary> nccl, int device, cudaStream_t stream,
                cudaEvent_t done, ncclComm_t comm, double timeoutSeconds)
      : nccl_(std::move(nccl)),
        device_(device),
        stream_(stream),
        done_(done),
        comm_(comm),
        timeoutSeconds_(timeoutSeconds) {}
  ~NcclAllreduce() override {
    if (comm_) (aborted_ ? nccl_->commAbort(comm_) : nccl_->commDestroy(comm_));
    cudaEventDestroy(done_);
    cudaStreamDestroy(stream_);
  }
  NcclAllreduce(const NcclAllreduce&) = delete;
  NcclAllreduce& operator=(const NcclAllreduce&) = delete;

  std::string_view name() const override { return "nccl"; }

  // Enqueues ncclAllReduce on the stream, records `done_` behind it (DeviceBuffers times up to
  // it) and waits for that: polled, so that a peer that died or hangs (NCCL's asynchronous
  // error, or no progress within the deadline) ends the wait with an error instead of a hang,
  // and so does a termination signal.
  Status run(Comm&, const AllreduceArgs& args) override {
    if (aborted_) return Error("the NCCL communicator was aborted after an earlier failure");
    const std::string what = "ncclAllReduce of " + std::to_string(args.bytes()) + " bytes";
    TOPOPLAN_TRY(ncclStatus(*nccl_,
                            nccl_->allReduce(args.send, args.recv, args.count, ncclType(args.type),
                                             ncclOp(args.op), comm_, stream_),
                            what, comm_));
    TOPOPLAN_CUDA_TRY(cudaEventRecord(done_, stream_));
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds_);
    while (true) {
      const cudaError_t done = cudaEventQuery(done_);
      if (done == cudaSuccess) return okStatus();
      if (done != cudaErrorNotReady) {
        return cuda::cudaError(done, "cudaEventQuery", __FILE__, __LINE__).context(what);
      }
      ncclResult_t async = ncclSuccess;
      TOPOPLAN_TRY(
          ncclStatus(*nccl_, nccl_->commGetAsyncError(comm_, &async), "ncclCommGetAsyncError"));
      if (async != ncclSuccess && async != ncclInProgress) {
        aborted_ = true;
        return ncclStatus(*nccl_, async, what + " (asynchronous error)", comm_);
      }
      if (const int signal = terminationSignal()) {
        aborted_ = true;
        return Error(endedBySignal(signal, what));
      }
      if (std::chrono::steady_clock::now() > deadline) {
        aborted_ = true;
        return Error("no progress within " + secondsText(timeoutSeconds_) + " (--timeout) on " +
                     what + " on cuda" + std::to_string(device_));
      }
      std::this_thread::yield();
    }
  }

  std::unique_ptr<SweepBuffers> makeBuffers() override {
    return std::make_unique<DeviceBuffers>(device_, stream_, done_);
  }

 private:
  std::shared_ptr<const NcclLibrary> nccl_;
  int device_;
  cudaStream_t stream_;
  cudaEvent_t done_;
  ncclComm_t comm_;
  double timeoutSeconds_;
  bool aborted_ = false;
};

std::string describeDevice(int device) {
  cudaDeviceProp properties{};
  char busId[32] = {};
  if (cudaGetDeviceProperties(&properties, device) != cudaSuccess ||
      cudaDeviceGetPCIBusId(busId, sizeof busId, device) != cudaSuccess) {
    return "cuda" + std::to_string(device);
  }
  return "cuda" + std::to_string(device) + " (" + properties.name + ", " + busId + ")";
}

// Every rank's (devices, local rank, NCCL loaded); the first rank without a GPU of its own or
// without NCCL names the waiver (its own reason where it is this rank).
Result<std::string> waiverOfAnyRank(Comm& comm, int localRank,
                                    const Result<std::shared_ptr<const NcclLibrary>>& nccl) {
  auto all = comm.allgatherValues(std::vector<int>{cuda::deviceCount(), localRank, nccl ? 1 : 0});
  if (!all) return all.error();
  for (int r = 0; r < comm.size(); ++r) {
    const int devices = (*all)[3 * static_cast<std::size_t>(r)];
    const int local = (*all)[3 * static_cast<std::size_t>(r) + 1];
    if (devices == 0) return "no CUDA device on rank " + std::to_string(r);
    if ((*all)[3 * static_cast<std::size_t>(r) + 2] == 0) {
      return r == comm.rank() ? nccl.error().message() + " on rank " + std::to_string(r)
                              : "NCCL not found on rank " + std::to_string(r);
    }
    if (local >= devices) {
      return "rank " + std::to_string(r) + " is local rank " + std::to_string(local) +
             " on a host with " + std::to_string(devices) +
             " CUDA device(s): expected one rank per GPU";
    }
  }
  return std::string();
}

}  // namespace

Result<NcclSetup> setUpNccl(Comm& comm, int localRank, double timeoutSeconds, BlockingGuard guard) {
  NcclSetup setup;
  const auto nccl = NcclLibrary::load();
  auto waived = waiverOfAnyRank(comm, localRank, nccl);
  if (!waived) return waived.error().context("nccl: which ranks have a GPU");
  if (!waived->empty()) {
    setup.waived = *waived;
    return setup;
  }
  const int device = localRank;
  TOPOPLAN_CUDA_TRY(cudaSetDevice(device));
  cudaStream_t stream = nullptr;
  cudaEvent_t done = nullptr;
  TOPOPLAN_CUDA_TRY(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  if (const cudaError_t code = cudaEventCreate(&done); code != cudaSuccess) {
    cudaStreamDestroy(stream);
    return cuda::cudaError(code, "cudaEventCreate", __FILE__, __LINE__);
  }
  // Rank 0 broadcasts the id even when it could not make one, so that no rank waits for it.
  struct {
    ncclUniqueId id;
    int valid;
  } bootstrap{};
  Status status = okStatus();
  if (comm.rank() == 0) {
    status = ncclStatus(**nccl, (*nccl)->getUniqueId(&bootstrap.id), "ncclGetUniqueId");
    bootstrap.valid = status ? 1 : 0;
  }
  if (Status sent = comm.broadcastValue(bootstrap, 0); !sent) status = sent;
  if (status && !bootstrap.valid) status = Error("rank 0 could not make an NCCL unique id");
  const ncclUniqueId& id = bootstrap.id;
  ncclComm_t communicator = nullptr;
  if (status) {
    auto init = [&] {
      return ncclStatus(**nccl, (*nccl)->commInitRank(&communicator, comm.size(), id, comm.rank()),
                        "ncclCommInitRank");
    };
    status = guard ? guard("ncclCommInitRank on cuda" + std::to_string(device), init) : init();
  }
  if (!status) {
    cudaEventDestroy(done);
    cudaStreamDestroy(stream);
    return status.error().context("nccl: setting up the communicator");
  }
  setup.algorithm =
      std::make_unique<NcclAllreduce>(*nccl, device, stream, done, communicator, timeoutSeconds);
  setup.library = (*nccl)->version() + " (" + (*nccl)->path() + ")";
  setup.device = describeDevice(device);
  return setup;
}

}  // namespace topoplan
