// readCudaDevices for builds without the CUDA toolkit.
#include "probes/gpu/cuda_devices.h"

namespace topoplan {

CudaInventory readCudaDevices() {
  CudaInventory inventory;
  inventory.absentReason = "this build has no CUDA support";
  return inventory;
}

}  // namespace topoplan
