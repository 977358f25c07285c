// readIbDevices for builds without rdma-core.
#include "probes/ib/ib_devices.h"

namespace topoplan {

IbInventory readIbDevices() {
  IbInventory inventory;
  inventory.absentReason = "this build has no ibverbs support (libibverbs-dev was not found)";
  return inventory;
}

}  // namespace topoplan
