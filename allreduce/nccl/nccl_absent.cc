// setUpNccl for builds without CUDA or NCCL.
#include "allreduce/nccl/nccl_allreduce.h"

namespace topoplan {

Result<NcclSetup> setUpNccl(Comm&, int, double, BlockingGuard) {
  NcclSetup setup;
  setup.waived =
      "this build has no NCCL (the CUDA toolkit or NCCL was not found at configure time)";
  return setup;
}

}  // namespace topoplan
