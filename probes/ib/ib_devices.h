// The RDMA devices of this node through ibverbs: every port's state, link layer, width, speed
// and rate. No device (or no kernel support) is absence with the reason, not an error.
#pragma once

#include "core/inventory_record.h"

namespace topoplan {

IbInventory readIbDevices();

}  // namespace topoplan
