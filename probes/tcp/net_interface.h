// Network interfaces from /sys/class/net and getifaddrs: kind, MTU, speed, IPv4 address.
#pragma once

#include <string>
#include <vector>

#include "core/inventory_record.h"
#include "core/result.h"

namespace topoplan {

std::vector<NetInterface> listInterfaces();

// `name`, or with an empty name the interface of the default route, else the first interface
// that is up, not loopback and has an IPv4 address, else loopback.
Result<NetInterface> chooseInterface(const std::string& name);

// The link path kind a probe reports for traffic between hosts over an interface of this kind:
// "net-overlay" (VXLAN, Geneve: a pod network), "net-container" (veth, bridge), "net-ib" (IPoIB), "net-eth", or "loopback".
std::string pathKind(const NetInterface& iface);

}  // namespace topoplan
