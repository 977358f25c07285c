#include "probes/gpu/pcie_link.h"

#include <cstdio>
#include <fstream>

namespace topoplan {

int PcieLink::generation() const {
  static constexpr double kRates[] = {2.5, 5, 8, 16, 32, 64};
  for (int g = 0; g < 6; ++g) {
    if (gtPerSecond > 0 && gtPerSecond <= kRates[g] * 1.01) return g + 1;
  }
  return 0;
}

double PcieLink::peakGbps() const {
  if (!known()) return 0;
  // Gen1-2: 8b/10b; Gen3-5: 128b/130b; Gen6: 256-byte FLITs carrying 242 bytes of data.
  const int g = generation();
  const double efficiency = g <= 2 ? 0.8 : g <= 5 ? 128.0 / 130.0 : 242.0 / 256.0;
  return gtPerSecond * width * efficiency / 8.0;
}

std::string PcieLink::text() const {
  if (!known()) return "PCIe link unknown";
  char line[64];
  std::snprintf(line, sizeof line, "PCIe Gen%d x%d (%g GT/s)", generation(), width, gtPerSecond);
  return line;
}

PcieLink readPcieLink(const std::string& busId, const std::string& sysfsRoot) {
  const std::string dir = sysfsRoot + "/bus/pci/devices/" + normalizeBusId(busId) + "/";
  PcieLink link;
  std::ifstream speed(dir + "current_link_speed");
  std::ifstream width(dir + "current_link_width");
  if (!(speed >> link.gtPerSecond)) link.gtPerSecond = 0;  // "32.0 GT/s PCIe", "Unknown"
  if (!(width >> link.width)) link.width = 0;
  return link;
}

}  // namespace topoplan
