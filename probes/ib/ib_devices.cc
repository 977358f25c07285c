#include "probes/ib/ib_devices.h"

#include <infiniband/verbs.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "probes/ib/ib_rate.h"

namespace topoplan {
namespace {

const char* linkLayerName(std::uint8_t layer) {
  switch (layer) {
    case IBV_LINK_LAYER_INFINIBAND:
      return "InfiniBand";
    case IBV_LINK_LAYER_ETHERNET:
      return "Ethernet";
    default:
      return "unspecified";
  }
}

void readPorts(ibv_device* device, IbInventory& inventory) {
  const std::string name = ibv_get_device_name(device);
  ibv_context* context = ibv_open_device(device);
  if (!context) return;
  ibv_device_attr attributes{};
  if (ibv_query_device(context, &attributes) == 0) {
    for (int port = 1; port <= attributes.phys_port_cnt; ++port) {
      ibv_port_attr attr{};
      if (ibv_query_port(context, static_cast<std::uint8_t>(port), &attr) != 0) continue;
      const IbRate rate = ibRate(attr.active_width, attr.active_speed);
      inventory.ports.push_back({name, port, ibv_port_state_str(attr.state),
                                 linkLayerName(attr.link_layer), rate.lanes, rate.speed,
                                 rate.rateGbps()});
    }
  }
  ibv_close_device(context);
}

}  // namespace

IbInventory readIbDevices() {
  IbInventory inventory;
  int count = 0;
  errno = 0;
  ibv_device** devices = ibv_get_device_list(&count);
  if (!devices) {
    inventory.absentReason =
        std::string("no RDMA device (ibv_get_device_list: ") + std::strerror(errno) + ")";
    return inventory;
  }
  for (int i = 0; i < count; ++i) readPorts(devices[i], inventory);
  ibv_free_device_list(devices);
  if (inventory.ports.empty()) {
    inventory.absentReason = count == 0 ? "no RDMA device" : "RDMA devices without a readable port";
  }
  return inventory;
}

}  // namespace topoplan
