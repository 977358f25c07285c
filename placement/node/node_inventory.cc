#include "placement/node/node_inventory.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace topoplan {
namespace {

int packageOf(const InventoryRecord& inventory, int numa) {
  if (numa < 0 || static_cast<std::size_t>(numa) >= inventory.numaPackages.size()) return -1;
  return inventory.numaPackages[static_cast<std::size_t>(numa)];
}

// Union-find over the GPUs, then the NICs (positions after the GPUs).
struct Groups {
  std::vector<int> parent;
  explicit Groups(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) {
    while (parent[static_cast<std::size_t>(x)] != x)
      x = parent[static_cast<std::size_t>(x)] =
          parent[static_cast<std::size_t>(parent[static_cast<std::size_t>(x)])];
    return x;
  }
  void join(int a, int b) { parent[static_cast<std::size_t>(find(a))] = find(b); }
};

std::string nicName(const PciDeviceRecord& nic) {
  return nic.osDevices.empty() ? nic.pciBusId : nic.osDevices.front();
}

}  // namespace

Result<NodeModelSource> nodeModelOf(const InventoryRecord& inventory,
                                    const std::vector<GpuCopyRecord>& copies,
                                    const std::string& where) {
  if (inventory.gpus.empty()) return Error(where + ": the inventory has no GPUs");
  std::vector<const PciDeviceRecord*> gpus;
  for (const PciDeviceRecord& gpu : inventory.gpus) gpus.push_back(&gpu);
  std::sort(gpus.begin(), gpus.end(), [](const auto* a, const auto* b) {
    return busIdKey(a->pciBusId) < busIdKey(b->pciBusId);
  });
  std::map<std::string, int> position;
  for (std::size_t i = 0; i < gpus.size(); ++i) {
    if (!position.emplace(busIdKey(gpus[i]->pciBusId), static_cast<int>(i)).second)
      return Error(where + ": two GPUs with PCI bus id " + gpus[i]->pciBusId);
  }
  const std::size_t n = gpus.size();
  NodeModelSource out;
  NodeModel& model = out.model;
  model.numaCpusets = inventory.numaCpusets;
  model.numaCores = inventory.numaCores;
  std::vector<double> pcie(n);
  for (std::size_t i = 0; i < n; ++i) {
    NodeGpu gpu;
    gpu.index = static_cast<int>(i);
    gpu.pciBusId = gpus[i]->pciBusId;
    gpu.numa = gpus[i]->numaNode;
    gpu.socket = packageOf(inventory, gpu.numa);
    model.gpus.push_back(gpu);
    pcie[i] = gpus[i]->pciLinkGBps;
    if (pcie[i] <= 0) {
      pcie[i] = kUnknownPcieGbps;
      out.pcieAssumed = true;
    }
  }
  // Paths: the inventory's pairs, else the NUMA nodes' (same node, else across sockets).
  model.paths.assign(n * n, GpuPath::kSystem);
  std::vector<double> nvlink(n * n, 0);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      if (model.gpus[a].numa >= 0 && model.gpus[a].numa == model.gpus[b].numa)
        model.paths[a * n + b] = GpuPath::kNuma;
  Groups groups(n + inventory.nics.size());
  for (const GpuPairPath& pair : inventory.gpuPairs) {
    const auto a = position.find(busIdKey(pair.a)), b = position.find(busIdKey(pair.b));
    const auto path = parseGpuPath(pair.path);
    if (a == position.end() || b == position.end() || !path) continue;
    const auto i = static_cast<std::size_t>(a->second), j = static_cast<std::size_t>(b->second);
    model.paths[i * n + j] = model.paths[j * n + i] = *path;
    nvlink[i * n + j] = nvlink[j * n + i] = pair.nvlinkGbps;
    if (*path == GpuPath::kPcieSwitch) groups.join(a->second, b->second);
  }
  for (std::size_t g = 0; g < n; ++g) {
    if (gpus[g]->nicPath != "pcie-switch") continue;
    for (std::size_t k = 0; k < inventory.nics.size(); ++k) {
      const PciDeviceRecord& nic = inventory.nics[k];
      if (gpus[g]->nearestNic == nicName(nic) || gpus[g]->nearestNic == nic.pciBusId)
        groups.join(static_cast<int>(g), static_cast<int>(n + k));
    }
  }
  std::vector<int> members(n + inventory.nics.size(), 0);
  for (std::size_t x = 0; x < members.size(); ++x)
    ++members[static_cast<std::size_t>(groups.find(static_cast<int>(x)))];
  const auto switchOf = [&](std::size_t x) {
    const int root = groups.find(static_cast<int>(x));
    return members[static_cast<std::size_t>(root)] > 1 ? root : -1;
  };
  for (std::size_t g = 0; g < n; ++g) model.gpus[g].pcieSwitch = switchOf(g);
  for (std::size_t k = 0; k < inventory.nics.size(); ++k) {
    const PciDeviceRecord& nic = inventory.nics[k];
    model.nics.push_back(
        {nicName(nic), switchOf(n + k), nic.numaNode, packageOf(inventory, nic.numaNode)});
  }
  // Figures: declared, then the gpu probe's peer copies (the slower direction of a pair).
  model.gbps.assign(n * n, 0);
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      const GpuPath path = model.paths[a * n + b];
      const double link = std::min(pcie[a], pcie[b]);
      const double nv = nvlink[a * n + b] > 0 ? nvlink[a * n + b] : link;
      model.gbps[a * n + b] = declaredGbps(path, nv, link);
    }
  }
  std::map<std::pair<int, int>, double> measured;
  std::map<int, int> byCudaIndex;  // a CUDA index -> its position, where the runtime said so
  if (inventory.cuda) {
    for (const CudaDeviceRecord& d : inventory.cuda->devices) {
      const auto at = position.find(busIdKey(d.pciBusId));
      if (at != position.end()) byCudaIndex[d.index] = at->second;
    }
  }
  const auto positionOf = [&](int cuda) {
    const auto at = byCudaIndex.find(cuda);
    return at != byCudaIndex.end() ? at->second : cuda;
  };
  for (const GpuCopyRecord& copy : copies) {
    if (copy.kind != "peer" || copy.bwGbps.median <= 0) continue;
    const int a = positionOf(copy.src), b = positionOf(copy.dst);
    if (a < 0 || b < 0 || a == b || a >= static_cast<int>(n) || b >= static_cast<int>(n)) continue;
    const auto key = std::minmax(a, b);
    const auto [it, fresh] = measured.emplace(key, copy.bwGbps.median);
    if (!fresh) it->second = std::min(it->second, copy.bwGbps.median);
  }
  for (const auto& [pair, gbps] : measured) {
    const auto a = static_cast<std::size_t>(pair.first), b = static_cast<std::size_t>(pair.second);
    model.gbps[a * n + b] = model.gbps[b * n + a] = gbps;
  }
  out.measuredPairs = static_cast<int>(measured.size());
  return out;
}

}  // namespace topoplan
