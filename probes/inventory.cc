#include "probes/inventory.h"

#include <hwloc.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>

#include "core/atomic_file.h"
#include "probes/crash_guard.h"
#include "probes/gpu/cuda_devices.h"
#include "probes/ib/ib_devices.h"
#include "probes/tcp/net_interface.h"

namespace topoplan {
namespace {

struct TopologyDeleter {
  void operator()(hwloc_topology* topology) const { hwloc_topology_destroy(topology); }
};
using TopologyPtr = std::unique_ptr<hwloc_topology, TopologyDeleter>;

const char* info(hwloc_obj_t obj, const char* name) {
  const char* value = hwloc_obj_get_info_by_name(obj, name);
  return value ? value : "";
}

std::string busId(hwloc_obj_t pci) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04x:%02x:%02x.%01x", pci->attr->pcidev.domain,
                pci->attr->pcidev.bus, pci->attr->pcidev.dev, pci->attr->pcidev.func);
  return buffer;
}

int numaOf(hwloc_topology_t topology, hwloc_obj_t obj) {
  hwloc_obj_t parent = hwloc_get_non_io_ancestor_obj(topology, obj);
  if (!parent || !parent->nodeset || hwloc_bitmap_weight(parent->nodeset) != 1) return -1;
  return hwloc_bitmap_first(parent->nodeset);
}

// The PCI device an OS device hangs off (or the object itself when it is one).
hwloc_obj_t pciOf(hwloc_obj_t obj) {
  while (obj && obj->type != HWLOC_OBJ_PCI_DEVICE) obj = obj->parent;
  return obj;
}

// The nearest object both hang off. hwloc's hwloc_get_common_ancestor_obj climbs by depth, which
// I/O objects do not order (their depths are negative): on a tree where a PCI device sits beside
// a bridge it climbs past the root. Here: a's ancestors, then b's first one among them.
hwloc_obj_t commonAncestor(hwloc_obj_t a, hwloc_obj_t b) {
  std::set<hwloc_obj_t> above;
  for (hwloc_obj_t obj = a; obj; obj = obj->parent) above.insert(obj);
  for (hwloc_obj_t obj = b; obj; obj = obj->parent) {
    if (above.count(obj)) return obj;
  }
  return nullptr;
}

std::string joinPath(hwloc_topology_t topology, hwloc_obj_t a, hwloc_obj_t b) {
  hwloc_obj_t common = commonAncestor(a, b);
  if (common && common->type == HWLOC_OBJ_BRIDGE) {
    const bool hostBridge = common->attr->bridge.upstream_type == HWLOC_OBJ_BRIDGE_HOST;
    return hostBridge ? "host-bridge" : "pcie-switch";
  }
  if (common && common->type == HWLOC_OBJ_PCI_DEVICE) return "pcie-switch";
  return numaOf(topology, a) >= 0 && numaOf(topology, a) == numaOf(topology, b) ? "numa" : "system";
}

int depthScore(const std::string& path) {
  if (path == "pcie-switch") return 3;
  if (path == "host-bridge") return 2;
  if (path == "numa") return 1;
  return 0;
}

// Where hwloc's NVLinkBandwidth matrix (MB/s) joins two GPUs, directly or both to NVSwitches,
// the pair's path becomes "nvlink" or "nvswitch" with that bandwidth.
void applyNvlinks(const InventoryRecord& inventory, std::vector<GpuPairPath>& pairs) {
  const auto matrix =
      std::find_if(inventory.distances.begin(), inventory.distances.end(),
                   [](const DistanceMatrix& m) { return m.name == "NVLinkBandwidth"; });
  if (matrix == inventory.distances.end()) return;
  const std::size_t n = matrix->objects.size();
  auto indexOf = [&](const std::string& bus) -> std::size_t {
    for (std::size_t k = 0; k < n; ++k) {
      const std::string& label = matrix->objects[k];
      if (label.size() > bus.size() &&
          label.compare(label.size() - bus.size(), bus.size(), bus) == 0 &&
          label[label.size() - bus.size() - 1] == '@')
        return k;
    }
    return n;
  };
  auto toSwitchesMBps = [&](std::size_t gpu) {
    double total = 0;
    for (const PciDeviceRecord& nvswitch : inventory.nvswitches) {
      const std::size_t k = indexOf(nvswitch.pciBusId);
      if (k < n) total += matrix->values[gpu * n + k];
    }
    return total;
  };
  for (GpuPairPath& pair : pairs) {
    const std::size_t a = indexOf(pair.a), b = indexOf(pair.b);
    if (a >= n || b >= n) continue;
    if (const double direct = matrix->values[a * n + b]; direct > 0) {
      pair.path = "nvlink";
      pair.nvlinkGbps = direct / 1000.0;
    } else if (const double viaSwitch = std::min(toSwitchesMBps(a), toSwitchesMBps(b));
               viaSwitch > 0) {
      pair.path = "nvswitch";
      pair.nvlinkGbps = viaSwitch / 1000.0;
    }
  }
}

}  // namespace

// Loads this machine (empty xml) or an XML document held in memory.
Result<TopologyPtr> loadTopology(const std::string* xml, const std::string& what) {
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) return Error("hwloc_topology_init failed");
  TopologyPtr topology(raw);
  hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_IMPORTANT);
  // Without its XML plugins hwloc refuses a bad buffer only when loading it: the same message
  // either way.
  const auto refused = [&] {
    return Error(what +
                 ": not an hwloc XML topology: expected the output of lstopo --of xml (hwloc: " +
                 std::strerror(errno) + ")");
  };
  if (xml &&
      hwloc_topology_set_xmlbuffer(raw, xml->data(), static_cast<int>(xml->size()) + 1) != 0) {
    return refused();
  }
  if (hwloc_topology_load(raw) != 0) {
    if (xml) return refused();
    return Error(what + ": hwloc could not load the topology (" +
                 std::string(std::strerror(errno)) + ")");
  }
  return topology;
}

namespace {

// The topology of this machine (empty path) or of an hwloc XML file; `source` says which.
Result<TopologyPtr> loadFrom(const std::string& xmlPath, std::string& source) {
  source = xmlPath.empty() ? "live" : xmlPath;
  if (xmlPath.empty()) return loadTopology(nullptr, "this machine");
  auto text = readFile(xmlPath);
  if (!text) return text.error();
  if (text->size() > (64u << 20))
    return Error(xmlPath + ": larger than 64 MiB, expected an hwloc XML file");
  // hwloc 3.0 writes version="3.0"; the elements read here are those of the 2.x format, which
  // this hwloc (2.x) refuses only for the version number.
  const std::string v3 = "<topology version=\"3.0\">";
  if (HWLOC_API_VERSION < 0x00030000 && text->find(v3) != std::string::npos) {
    text->replace(text->find(v3), v3.size(), "<topology version=\"2.0\">");
    source += " (hwloc 3.0 XML, read by hwloc 2)";
  }
  return loadTopology(&*text, xmlPath);
}

// Each NUMA node's cores (as a list, "0-23,48-71") and package, by its OS index.
void readNumaNodes(hwloc_topology_t raw, InventoryRecord& inventory) {
  for (hwloc_obj_t numa = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_NUMANODE, nullptr); numa;
       numa = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_NUMANODE, numa)) {
    if (numa->os_index > 4096) continue;
    const std::size_t at = numa->os_index;
    if (inventory.numaCpusets.size() <= at) {
      inventory.numaCpusets.resize(at + 1);
      inventory.numaPackages.resize(at + 1, -1);
      inventory.numaCores.resize(at + 1);
    }
    hwloc_bitmap_t cores = hwloc_bitmap_alloc();
    for (hwloc_obj_t core = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_CORE, nullptr); core;
         core = hwloc_get_next_obj_by_type(raw, HWLOC_OBJ_CORE, core)) {
      if (numa->cpuset && core->cpuset && hwloc_bitmap_isincluded(core->cpuset, numa->cpuset))
        hwloc_bitmap_set(cores, core->logical_index);
    }
    char* coreList = nullptr;
    if (!hwloc_bitmap_iszero(cores) && hwloc_bitmap_list_asprintf(&coreList, cores) >= 0 &&
        coreList)
      inventory.numaCores[at] = coreList;
    std::free(coreList);
    hwloc_bitmap_free(cores);
    char* list = nullptr;
    if (numa->cpuset && hwloc_bitmap_list_asprintf(&list, numa->cpuset) >= 0 && list) {
      inventory.numaCpusets[at] = list;
    }
    std::free(list);
    hwloc_obj_t package = hwloc_get_ancestor_obj_by_type(raw, HWLOC_OBJ_PACKAGE, numa);
    if (package) inventory.numaPackages[at] = static_cast<int>(package->logical_index);
  }
}

// The GPUs, NICs and NVSwitches on the PCI bus, with the hwloc objects of the GPUs and NICs.
void readPciDevices(hwloc_topology_t raw, InventoryRecord& inventory,
                    std::vector<hwloc_obj_t>& gpuObjects, std::vector<hwloc_obj_t>& nicObjects) {
  for (hwloc_obj_t pci = hwloc_get_next_pcidev(raw, nullptr); pci;
       pci = hwloc_get_next_pcidev(raw, pci)) {
    const unsigned cls = pci->attr->pcidev.class_id;
    PciDeviceRecord device;
    device.pciBusId = busId(pci);
    device.numaNode = numaOf(raw, pci);
    device.pciLinkGBps = pci->attr->pcidev.linkspeed;
    for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling) {
      if (child->type == HWLOC_OBJ_OS_DEVICE && child->name)
        device.osDevices.push_back(child->name);
      if (child->type == HWLOC_OBJ_OS_DEVICE && *info(child, "GPUModel"))
        device.model = info(child, "GPUModel");
    }
    char id[16];
    std::snprintf(id, sizeof id, "%04x:%04x", pci->attr->pcidev.vendor_id,
                  pci->attr->pcidev.device_id);
    if (device.model.empty()) device.model = id;
    const bool nvswitch = pci->subtype && std::strcmp(pci->subtype, "NVSwitch") == 0;
    if (nvswitch) {
      device.kind = "nvswitch";
      inventory.nvswitches.push_back(device);
    } else if ((cls >> 8) == 0x03 &&
               (pci->attr->pcidev.vendor_id == 0x10de || !device.osDevices.empty())) {
      device.kind = "gpu";
      inventory.gpus.push_back(device);
      gpuObjects.push_back(pci);
    } else if ((cls >> 8) == 0x02 || cls == 0x0c06) {  // network or InfiniBand controller
      device.kind = "nic";
      inventory.nics.push_back(device);
      nicObjects.push_back(pci);
    }
  }
}

// Each GPU's nearest NIC (the shortest PCIe path) and the path between every two GPUs.
void joinGpus(hwloc_topology_t raw, InventoryRecord& inventory,
              const std::vector<hwloc_obj_t>& gpuObjects,
              const std::vector<hwloc_obj_t>& nicObjects) {
  for (std::size_t g = 0; g < gpuObjects.size(); ++g) {
    int best = -1;
    for (std::size_t n = 0; n < nicObjects.size(); ++n) {
      const std::string path = joinPath(raw, gpuObjects[g], nicObjects[n]);
      if (best < 0 || depthScore(path) > depthScore(inventory.gpus[g].nicPath)) {
        best = static_cast<int>(n);
        inventory.gpus[g].nicPath = path;
        const auto& nic = inventory.nics[n];
        inventory.gpus[g].nearestNic = nic.osDevices.empty() ? nic.pciBusId : nic.osDevices.front();
      }
    }
  }
  for (std::size_t a = 0; a < gpuObjects.size(); ++a) {
    for (std::size_t b = a + 1; b < gpuObjects.size(); ++b) {
      inventory.gpuPairs.push_back({inventory.gpus[a].pciBusId, inventory.gpus[b].pciBusId,
                                    joinPath(raw, gpuObjects[a], gpuObjects[b]), 0});
    }
  }
}

// hwloc's distance matrices (NUMA latencies, NVLink bandwidths ...), objects named by PCI bus id
// where they have one.
std::vector<DistanceMatrix> readDistances(hwloc_topology_t raw) {
  std::vector<DistanceMatrix> matrices;
  unsigned count = 0;
  hwloc_distances_get(raw, &count, nullptr, 0, 0);
  std::vector<hwloc_distances_s*> distances(count);
  if (count == 0 || hwloc_distances_get(raw, &count, distances.data(), 0, 0) != 0) return matrices;
  for (unsigned i = 0; i < count; ++i) {
    DistanceMatrix matrix;
    const char* name = hwloc_distances_get_name(raw, distances[i]);
    matrix.name = name ? name : "unnamed";
    for (unsigned k = 0; k < distances[i]->nbobjs; ++k) {
      hwloc_obj_t obj = distances[i]->objs[k];
      hwloc_obj_t pci = pciOf(obj);
      std::string label = obj->name ? obj->name : hwloc_obj_type_string(obj->type);
      if (pci)
        label += "@" + busId(pci);
      else
        label += "#" + std::to_string(obj->logical_index);
      matrix.objects.push_back(label);
    }
    for (unsigned k = 0; k < distances[i]->nbobjs * distances[i]->nbobjs; ++k) {
      matrix.values.push_back(static_cast<double>(distances[i]->values[k]));
    }
    matrices.push_back(std::move(matrix));
    hwloc_distances_release(raw, distances[i]);
  }
  return matrices;
}

Result<InventoryRecord> readInventoryUnguarded(const std::string& xmlPath) {
  InventoryRecord inventory;
  auto loaded = loadFrom(xmlPath, inventory.source);
  if (!loaded) return loaded.error();
  hwloc_topology_t raw = loaded->get();
  char host[256] = {};
  if (xmlPath.empty() && gethostname(host, sizeof host - 1) == 0) inventory.hostname = host;
  inventory.packages = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_PACKAGE);
  inventory.numaNodes = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_NUMANODE);
  inventory.cores = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_CORE);
  inventory.pus = hwloc_get_nbobjs_by_type(raw, HWLOC_OBJ_PU);
  readNumaNodes(raw, inventory);
  std::vector<hwloc_obj_t> gpuObjects, nicObjects;
  readPciDevices(raw, inventory, gpuObjects, nicObjects);
  joinGpus(raw, inventory, gpuObjects, nicObjects);
  inventory.distances = readDistances(raw);
  applyNvlinks(inventory, inventory.gpuPairs);
  if (xmlPath.empty()) {
    inventory.interfaces = listInterfaces();
    inventory.cuda = readCudaDevices();
    inventory.ib = readIbDevices();
  }
  return inventory;
}

}  // namespace

Result<InventoryRecord> readInventory(const std::string& xmlPath) {
  if (!xmlPath.empty()) {
    // hwloc's import alone runs in the child; our reading of the tree it builds runs here.
    Status survived = survivesInChild(
        [&] {
          std::string source;
          (void)loadFrom(xmlPath, source);
        },
        "hwloc reading it");
    if (!survived) {
      return Error(xmlPath + ": " + survived.error().message() +
                   ": expected the output of lstopo --of xml");
    }
  }
  return readInventoryUnguarded(xmlPath);
}

}  // namespace topoplan
