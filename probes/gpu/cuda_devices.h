// The CUDA devices of this node as the CUDA runtime sees them: name, PCI bus id, memory, compute
// capability, and between every ordered pair peer access and its performance rank. No driver or
// no device is absence (with the reason), not an error. CUDA error codes stop here.
#pragma once

#include "core/inventory_record.h"

namespace topoplan {

CudaInventory readCudaDevices();

}  // namespace topoplan
