#include "placement/node/node_model.h"

#include <cctype>

namespace topoplan {

namespace {
constexpr std::pair<GpuPath, const char*> kNames[] = {{GpuPath::kNvlink, "nvlink"},
                                                      {GpuPath::kNvswitch, "nvswitch"},
                                                      {GpuPath::kPcieSwitch, "pcie-switch"},
                                                      {GpuPath::kHostBridge, "host-bridge"},
                                                      {GpuPath::kNuma, "numa"},
                                                      {GpuPath::kSystem, "system"}};
}  // namespace

const char* name(GpuPath path) {
  for (const auto& [p, text] : kNames)
    if (p == path) return text;
  return "?";
}

std::optional<GpuPath> parseGpuPath(std::string_view text) {
  for (const auto& [p, name] : kNames)
    if (text == name) return p;
  return std::nullopt;
}

std::string busIdKey(std::string_view id) {
  std::string key(id);
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

double declaredGbps(GpuPath path, double nvlinkGbps, double pcieGbps) {
  switch (path) {
    case GpuPath::kNvlink:
    case GpuPath::kNvswitch:
      return nvlinkGbps;
    case GpuPath::kPcieSwitch:
      return pcieGbps;
    case GpuPath::kHostBridge:
      return 0.8 * pcieGbps;
    case GpuPath::kNuma:
      return 0.6 * pcieGbps;
    case GpuPath::kSystem:
      break;
  }
  return 0.4 * pcieGbps;
}

}  // namespace topoplan
