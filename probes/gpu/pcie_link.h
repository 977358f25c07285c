// A PCIe device's negotiated link (sysfs current_link_speed and current_link_width) and the
// peak it allows: GT/s x lanes x the encoding's efficiency / 8 bits, in GB/s per direction
// (Gen5 x16: 63.0). The peak against which GPU copies over PCIe are judged.
#pragma once

#include <string>

#include "core/pci_bus_id.h"

namespace topoplan {

struct PcieLink {
  double gtPerSecond = 0;  // 0: unknown
  int width = 0;           // lanes; 0: unknown
  bool known() const { return gtPerSecond > 0 && width > 0; }
  int generation() const;  // 1..6 from the transfer rate; 0 when unknown
  double peakGbps() const;
  std::string text() const;  // "PCIe Gen5 x16 (32 GT/s)"
};

// Reads <sysfsRoot>/bus/pci/devices/<busId>/current_link_{speed,width}; unknown when absent
// (a VM's virtual bus, a device without a link).
PcieLink readPcieLink(const std::string& busId, const std::string& sysfsRoot = "/sys");

}  // namespace topoplan
