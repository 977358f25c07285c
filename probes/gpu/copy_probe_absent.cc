// runGpuCopyProbe for builds without the CUDA toolkit.
#include "probes/gpu/copy_probe.h"

namespace topoplan {

Result<GpuCopyResult> runGpuCopyProbe(const GpuCopyConfig&, const std::vector<GpuPairPath>&) {
  GpuCopyResult result;
  result.absentReason = "this build has no CUDA support";
  return result;
}

}  // namespace topoplan
