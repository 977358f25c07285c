#include "placement/planted/node_generator.h"

#include <algorithm>

namespace topoplan {
namespace {

constexpr double kPcieGbps = 25;    // a PCIe Gen4 x16 peer copy
constexpr double kNvlinkGbps = 24;  // one NVLink2 link, one direction
constexpr double kNvswitchGbps = 240;
constexpr double kBridgeGbps = 56;  // an NVLink bridge of two PCIe cards

// DGX-1's hybrid cube-mesh: within each quad every pair, across quads GPU i to i + 4; the links
// that are doubled.
int cubeMeshLinks(int a, int b) {
  if (a > b) std::swap(a, b);
  if (b == a + 4) return 1;
  if (a / 4 != b / 4) return 0;
  const int x = a % 4, y = b % 4;
  return (x == 0 && y == 3) || (x == 1 && y == 2) ? 2 : 1;
}

}  // namespace

const char* name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kNvswitch:
      return "nvswitch";
    case NodeKind::kHybridCubeMesh:
      return "hybrid-cube-mesh";
    case NodeKind::kNvlinkPairs:
      return "nvlink-pairs";
    case NodeKind::kPcie:
      break;
  }
  return "pcie";
}

int PlantedNode::freeGpus() const {
  return static_cast<int>(model.size()) -
         static_cast<int>(std::count(busy.begin(), busy.end(), true));
}

PlantedNode plantNode(NodeKind kind, std::mt19937_64& rng) {
  PlantedNode node;
  node.kind = kind;
  NodeModel& m = node.model;
  std::uniform_int_distribution<int> oneOrTwo(1, 2);
  std::bernoulli_distribution coin(0.5);
  const bool nvlinked = kind != NodeKind::kPcie;
  const int sockets = nvlinked ? 2 : oneOrTwo(rng);
  const int switchesPerSocket = nvlinked ? 2 : oneOrTwo(rng);
  const int gpusPerSwitch = nvlinked ? 2 : oneOrTwo(rng);
  int cpu = 0;
  for (int s = 0; s < sockets; ++s) {
    const int cores = 8 * oneOrTwo(rng);
    m.numaCpusets.push_back(std::to_string(cpu) + "-" + std::to_string(cpu + cores - 1));
    cpu += cores;
    for (int w = 0; w < switchesPerSocket; ++w) {
      const int sw = s * switchesPerSocket + w;
      for (int g = 0; g < gpusPerSwitch; ++g) {
        NodeGpu gpu;
        gpu.index = static_cast<int>(m.gpus.size());
        char bus[32];
        std::snprintf(bus, sizeof bus, "0000:%02x:00.0", 0x10 * (sw + 1) + g);
        gpu.pciBusId = bus;
        gpu.pcieSwitch = sw;
        gpu.numa = s;
        gpu.socket = s;
        m.gpus.push_back(gpu);
      }
      if (coin(rng) || (s == 0 && w == 0))  // at least one NIC
        m.nics.push_back({"mlx5_" + std::to_string(m.nics.size()), sw, s, s});
    }
  }
  const std::size_t n = m.gpus.size();
  m.gbps.assign(n * n, 0);
  m.paths.assign(n * n, GpuPath::kSystem);
  std::lognormal_distribution<double> noise(0.0, 0.02);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      const NodeGpu &x = m.gpus[a], &y = m.gpus[b];
      GpuPath path = x.pcieSwitch == y.pcieSwitch ? GpuPath::kPcieSwitch
                     : x.socket == y.socket       ? GpuPath::kHostBridge
                                                  : GpuPath::kSystem;
      double gbps = declaredGbps(path, 0, kPcieGbps);
      const int i = static_cast<int>(a), j = static_cast<int>(b);
      if (kind == NodeKind::kNvswitch) {
        path = GpuPath::kNvswitch;
        gbps = kNvswitchGbps;
      } else if (kind == NodeKind::kHybridCubeMesh && cubeMeshLinks(i, j) > 0) {
        path = GpuPath::kNvlink;
        gbps = kNvlinkGbps * cubeMeshLinks(i, j);
      } else if (kind == NodeKind::kNvlinkPairs && i / 2 == j / 2) {
        path = GpuPath::kNvlink;
        gbps = kBridgeGbps;
      }
      const double measured = gbps * noise(rng);
      m.gbps[a * n + b] = m.gbps[b * n + a] = measured;
      m.paths[a * n + b] = m.paths[b * n + a] = path;
    }
  }
  std::bernoulli_distribution busy(std::uniform_real_distribution<double>(0.0, 0.6)(rng));
  for (std::size_t g = 0; g < n; ++g) node.busy.push_back(busy(rng));
  if (node.freeGpus() == 0) node.busy[0] = false;
  return node;
}

}  // namespace topoplan
