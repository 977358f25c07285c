// The `nccl` algorithm: ncclAllReduce with one GPU per rank (the rank's local rank picks the
// device), its communicator bootstrapped over Comm, its buffers in device memory, timed with
// CUDA events and verified on the device (allreduce/nccl/device_buffers.h).
//
// Built where CUDA and NCCL are found; elsewhere setUpNccl waives it with the reason.
#pragma once

#include <memory>
#include <string>

#include "allreduce/algorithm.h"
#include "core/comm.h"

namespace topoplan {

struct NcclSetup {
  std::unique_ptr<AllreduceAlgorithm> algorithm;  // null when waived
  std::string waived;                             // why nccl does not run here
  std::string library;                            // "NCCL 2.28.9"
  std::string device;  // this rank's GPU: "cuda0 (NVIDIA H100 80GB HBM3, 0000:18:00.0)"
};

// Collective: every rank of `comm` calls it and all agree on waiving. `localRank` is the rank's
// rank on its host; a rank waits at most `timeoutSeconds` for any one AllReduce, and
// ncclCommInitRank runs under `guard`.
Result<NcclSetup> setUpNccl(Comm& comm, int localRank, double timeoutSeconds, BlockingGuard guard);

}  // namespace topoplan
