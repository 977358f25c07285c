#include "report/documents/inventory_document.h"

#include <cstdio>
#include <functional>

#include "core/json_fields.h"
#include "core/units.h"

namespace topoplan {
namespace {

// A value, or null where it is unknown (an empty text, a non-positive number).
nlohmann::ordered_json orNull(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}
template <typename Number>
nlohmann::ordered_json positiveOrNull(Number value) {
  return value > 0 ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json devicesJson(const std::vector<PciDeviceRecord>& devices) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PciDeviceRecord& d : devices) {
    nlohmann::ordered_json item = {
        {"pci_busid", d.pciBusId},
        {"model", d.model},
        {"os_devices", d.osDevices},
        {"numa_node", d.numaNode >= 0 ? nlohmann::ordered_json(d.numaNode) : nullptr},
        {"pci_link_gbps", d.pciLinkGBps}};
    if (d.kind == "gpu") {
      item["nearest_nic"] = orNull(d.nearestNic);
      item["nic_path"] = orNull(d.nicPath);
    }
    list.push_back(item);
  }
  return list;
}

nlohmann::ordered_json cudaJson(const CudaInventory& cuda) {
  nlohmann::ordered_json devices = nlohmann::ordered_json::array();
  for (const CudaDeviceRecord& d : cuda.devices) {
    devices.push_back({{"index", d.index},
                       {"name", d.name},
                       {"pci_busid", d.pciBusId},
                       {"memory_bytes", d.memoryBytes},
                       {"compute_capability",
                        std::to_string(d.computeMajor) + "." + std::to_string(d.computeMinor)}});
  }
  nlohmann::ordered_json peers = nlohmann::ordered_json::array();
  for (const CudaPeerRecord& p : cuda.peers) {
    peers.push_back({{"a", p.a},
                     {"b", p.b},
                     {"access", p.access},
                     {"performance_rank", p.performanceRank},
                     {"native_atomics", p.nativeAtomics}});
  }
  return {{"devices", devices}, {"peers", peers}, {"absent_reason", orNull(cuda.absentReason)}};
}

nlohmann::ordered_json ibJson(const IbInventory& ib) {
  nlohmann::ordered_json ports = nlohmann::ordered_json::array();
  for (const IbPortRecord& p : ib.ports) {
    ports.push_back({{"device", p.device},
                     {"port", p.port},
                     {"state", p.state},
                     {"link_layer", p.linkLayer},
                     {"width", p.width},
                     {"speed", p.speed},
                     {"rate_gbps", p.rateGbps}});
  }
  return {{"ports", ports}, {"absent_reason", orNull(ib.absentReason)}};
}

}  // namespace

nlohmann::ordered_json inventoryJson(const InventoryRecord& inventory) {
  nlohmann::ordered_json distances = nlohmann::ordered_json::array();
  for (const DistanceMatrix& m : inventory.distances) {
    distances.push_back({{"name", m.name}, {"objects", m.objects}, {"values", m.values}});
  }
  nlohmann::ordered_json gpuPairs = nlohmann::ordered_json::array();
  for (const GpuPairPath& pair : inventory.gpuPairs) {
    gpuPairs.push_back({{"a", pair.a},
                        {"b", pair.b},
                        {"path", pair.path},
                        {"nvlink_gbps", positiveOrNull(pair.nvlinkGbps)}});
  }
  nlohmann::ordered_json doc = {{"source", inventory.source},
                                {"hostname", inventory.hostname},
                                {"packages", inventory.packages},
                                {"numa_nodes", inventory.numaNodes},
                                {"numa_cpusets", inventory.numaCpusets},
                                {"numa_packages", inventory.numaPackages},
                                {"numa_cores", inventory.numaCores},
                                {"cores", inventory.cores},
                                {"pus", inventory.pus},
                                {"gpus", devicesJson(inventory.gpus)},
                                {"nics", devicesJson(inventory.nics)},
                                {"nvswitches", devicesJson(inventory.nvswitches)},
                                {"gpu_pairs", gpuPairs},
                                {"distances", distances}};
  if (inventory.source == "live") {
    nlohmann::ordered_json interfaces = nlohmann::ordered_json::array();
    for (const NetInterface& i : inventory.interfaces) {
      interfaces.push_back({{"name", i.name},
                            {"kind", i.kind},
                            {"ipv4", orNull(i.ipv4)},
                            {"mtu", i.mtu},
                            {"speed_mbps", positiveOrNull(i.speedMbps)},
                            {"up", i.up}});
    }
    doc["interfaces"] = interfaces;
  }
  if (inventory.cuda) doc["cuda"] = cudaJson(*inventory.cuda);
  if (inventory.ib) doc["ibverbs"] = ibJson(*inventory.ib);
  return doc;
}

namespace {

// Field readers for the inventory: a missing or mistyped field names its path.
class Fields {
 public:
  Fields(const nlohmann::ordered_json& object, std::string where)
      : object_(object), where_(std::move(where)) {}

  const std::string& where() const { return where_; }
  bool has(const char* key) const { return object_.contains(key) && !object_[key].is_null(); }

  Status text(const char* key, std::string& out, bool nullable = false) const {
    if (nullable && !has(key)) return okStatus();
    return readField(object_, where_, key, out);
  }
  // An integer in [low, high]; with `nullable`, null (or absent) leaves `out` as it is.
  Status integer(const char* key, int& out, int low, int high, bool nullable = false) const {
    if (nullable && !has(key)) return okStatus();
    if (!object_.contains(key) || !object_[key].is_number_integer() ||
        object_[key].get<long long>() < low || object_[key].get<long long>() > high) {
      return Error(where_ + "." + key + ": " +
                   (object_.contains(key) ? object_[key].dump() : std::string("missing")) +
                   ", expected an integer from " + std::to_string(low) + " to " +
                   std::to_string(high));
    }
    out = object_[key].get<int>();
    return okStatus();
  }
  Status number(const char* key, double& out, bool nullable = false) const {
    if (nullable && !has(key)) return okStatus();
    TOPOPLAN_TRY(readField(object_, where_, key, out));
    if (!(out >= 0)) return Error(where_ + "." + key + ": expected a number >= 0");
    return okStatus();
  }
  Status flag(const char* key, bool& out) const { return readField(object_, where_, key, out); }
  Status numbers(const char* key, std::vector<double>& out) const {
    return readNonNegativeNumbers(object_, where_, key, out);
  }
  Status texts(const char* key, std::vector<std::string>& out) const {
    auto list = arrayField(object_, where_, key);
    if (!list) return list.error();
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
      const auto& item = (**list)[i];
      if (!item.is_string())
        return Error(where_ + "." + key + "[" + std::to_string(i) + "]: expected a string");
      out.push_back(item.get<std::string>());
    }
    return okStatus();
  }
  // Calls read(fields of item, index) for each object of the array `key`.
  Status each(const char* key, const std::function<Status(const Fields&)>& read) const {
    auto list = arrayField(object_, where_, key);
    if (!list) return list.error();
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
      const std::string at = where_ + "." + key + "[" + std::to_string(i) + "]";
      if (!(**list)[i].is_object()) return Error(at + ": expected an object");
      TOPOPLAN_TRY(read(Fields((**list)[i], at)));
    }
    return okStatus();
  }
  Result<Fields> object(const char* key) const {
    auto inner = objectField(object_, where_, key);
    if (!inner) return inner.error();
    return Fields(**inner, where_ + "." + key);
  }

 private:
  const nlohmann::ordered_json& object_;
  std::string where_;
};

constexpr int kMost = 1 << 30;

Status readDevices(const Fields& f, const char* key, const char* kind,
                   std::vector<PciDeviceRecord>& out) {
  return f.each(key, [&](const Fields& d) -> Status {
    PciDeviceRecord device;
    device.kind = kind;
    TOPOPLAN_TRY(d.text("pci_busid", device.pciBusId));
    TOPOPLAN_TRY(d.text("model", device.model));
    TOPOPLAN_TRY(d.texts("os_devices", device.osDevices));
    TOPOPLAN_TRY(d.integer("numa_node", device.numaNode, 0, kMost, true));
    TOPOPLAN_TRY(d.number("pci_link_gbps", device.pciLinkGBps));
    TOPOPLAN_TRY(d.text("nearest_nic", device.nearestNic, true));
    TOPOPLAN_TRY(d.text("nic_path", device.nicPath, true));
    out.push_back(std::move(device));
    return okStatus();
  });
}

Result<CudaInventory> readCuda(const Fields& c) {
  CudaInventory cuda;
  TOPOPLAN_TRY(c.each("devices", [&](const Fields& d) -> Status {
    CudaDeviceRecord device;
    TOPOPLAN_TRY(d.integer("index", device.index, 0, kMost));
    TOPOPLAN_TRY(d.text("name", device.name));
    TOPOPLAN_TRY(d.text("pci_busid", device.pciBusId));
    double memory = 0;
    TOPOPLAN_TRY(d.number("memory_bytes", memory));
    device.memoryBytes = static_cast<std::uint64_t>(memory);
    std::string capability;
    TOPOPLAN_TRY(d.text("compute_capability", capability));
    if (std::sscanf(capability.c_str(), "%d.%d", &device.computeMajor, &device.computeMinor) != 2)
      return Error(d.where() + ".compute_capability: '" + capability + "', expected MAJOR.MINOR");
    cuda.devices.push_back(std::move(device));
    return okStatus();
  }));
  TOPOPLAN_TRY(c.each("peers", [&](const Fields& p) -> Status {
    CudaPeerRecord peer;
    TOPOPLAN_TRY(p.integer("a", peer.a, 0, kMost));
    TOPOPLAN_TRY(p.integer("b", peer.b, 0, kMost));
    TOPOPLAN_TRY(p.flag("access", peer.access));
    TOPOPLAN_TRY(p.integer("performance_rank", peer.performanceRank, -1, kMost));
    TOPOPLAN_TRY(p.flag("native_atomics", peer.nativeAtomics));
    cuda.peers.push_back(peer);
    return okStatus();
  }));
  TOPOPLAN_TRY(c.text("absent_reason", cuda.absentReason, true));
  return cuda;
}

Result<IbInventory> readIb(const Fields& i) {
  IbInventory ib;
  TOPOPLAN_TRY(i.each("ports", [&](const Fields& p) -> Status {
    IbPortRecord port;
    TOPOPLAN_TRY(p.text("device", port.device));
    TOPOPLAN_TRY(p.integer("port", port.port, 0, kMost));
    TOPOPLAN_TRY(p.text("state", port.state));
    TOPOPLAN_TRY(p.text("link_layer", port.linkLayer));
    TOPOPLAN_TRY(p.integer("width", port.width, 0, kMost));
    TOPOPLAN_TRY(p.text("speed", port.speed));
    TOPOPLAN_TRY(p.number("rate_gbps", port.rateGbps));
    ib.ports.push_back(std::move(port));
    return okStatus();
  }));
  TOPOPLAN_TRY(i.text("absent_reason", ib.absentReason, true));
  return ib;
}

}  // namespace

Result<InventoryRecord> inventoryFromJson(const nlohmann::ordered_json& json,
                                          const std::string& where) {
  if (!json.is_object()) return Error(where + ": expected an object");
  const Fields f(json, where);
  InventoryRecord inventory;
  TOPOPLAN_TRY(f.text("source", inventory.source));
  TOPOPLAN_TRY(f.text("hostname", inventory.hostname));
  TOPOPLAN_TRY(f.integer("packages", inventory.packages, 0, kMost));
  TOPOPLAN_TRY(f.integer("numa_nodes", inventory.numaNodes, 0, kMost));
  if (f.has("numa_cpusets")) TOPOPLAN_TRY(f.texts("numa_cpusets", inventory.numaCpusets));
  if (f.has("numa_cores")) TOPOPLAN_TRY(f.texts("numa_cores", inventory.numaCores));
  if (f.has("numa_packages")) {
    std::vector<double> packages;
    TOPOPLAN_TRY(f.numbers("numa_packages", packages));
    for (double p : packages) {
      if (p != std::floor(p) || p < -1 || p > kMost)
        return Error(where + ".numa_packages: " + std::to_string(p) +
                     ", expected a package number or -1");
      inventory.numaPackages.push_back(static_cast<int>(p));
    }
  }
  TOPOPLAN_TRY(f.integer("cores", inventory.cores, 0, kMost));
  TOPOPLAN_TRY(f.integer("pus", inventory.pus, 0, kMost));
  TOPOPLAN_TRY(readDevices(f, "gpus", "gpu", inventory.gpus));
  TOPOPLAN_TRY(readDevices(f, "nics", "nic", inventory.nics));
  TOPOPLAN_TRY(readDevices(f, "nvswitches", "nvswitch", inventory.nvswitches));
  TOPOPLAN_TRY(f.each("gpu_pairs", [&](const Fields& p) -> Status {
    GpuPairPath pair;
    TOPOPLAN_TRY(p.text("a", pair.a));
    TOPOPLAN_TRY(p.text("b", pair.b));
    TOPOPLAN_TRY(p.text("path", pair.path));
    TOPOPLAN_TRY(p.number("nvlink_gbps", pair.nvlinkGbps, true));
    inventory.gpuPairs.push_back(std::move(pair));
    return okStatus();
  }));
  TOPOPLAN_TRY(f.each("distances", [&](const Fields& d) -> Status {
    DistanceMatrix matrix;
    TOPOPLAN_TRY(d.text("name", matrix.name));
    TOPOPLAN_TRY(d.texts("objects", matrix.objects));
    TOPOPLAN_TRY(d.numbers("values", matrix.values));
    if (matrix.values.size() != matrix.objects.size() * matrix.objects.size())
      return Error(d.where() + ".values: " + std::to_string(matrix.values.size()) +
                   " values, expected objects squared (" +
                   std::to_string(matrix.objects.size() * matrix.objects.size()) + ")");
    inventory.distances.push_back(std::move(matrix));
    return okStatus();
  }));
  if (f.has("interfaces")) {
    TOPOPLAN_TRY(f.each("interfaces", [&](const Fields& i) -> Status {
      NetInterface iface;
      TOPOPLAN_TRY(i.text("name", iface.name));
      TOPOPLAN_TRY(i.text("kind", iface.kind));
      TOPOPLAN_TRY(i.text("ipv4", iface.ipv4, true));
      TOPOPLAN_TRY(i.integer("mtu", iface.mtu, 0, kMost));
      TOPOPLAN_TRY(i.integer("speed_mbps", iface.speedMbps, 0, kMost, true));
      TOPOPLAN_TRY(i.flag("up", iface.up));
      inventory.interfaces.push_back(std::move(iface));
      return okStatus();
    }));
  }
  if (f.has("cuda")) {
    auto cuda = f.object("cuda");
    if (!cuda) return cuda.error();
    auto record = readCuda(*cuda);
    if (!record) return record.error();
    inventory.cuda = std::move(*record);
  }
  if (f.has("ibverbs")) {
    auto ib = f.object("ibverbs");
    if (!ib) return ib.error();
    auto record = readIb(*ib);
    if (!record) return record.error();
    inventory.ib = std::move(*record);
  }
  return inventory;
}

std::string inventoryText(const InventoryRecord& inventory) {
  char line[256];
  std::snprintf(line, sizeof line,
                "# inventory of %s: %d package(s), %d NUMA node(s), %d cores, %d PUs\n",
                inventory.source.c_str(), inventory.packages, inventory.numaNodes, inventory.cores,
                inventory.pus);
  std::string text = line;
  text += "gpus: " + std::to_string(inventory.gpus.size()) +
          ", nics: " + std::to_string(inventory.nics.size()) +
          ", nvswitches: " + std::to_string(inventory.nvswitches.size()) + "\n";
  for (const auto* group : {&inventory.gpus, &inventory.nics, &inventory.nvswitches}) {
    for (const PciDeviceRecord& d : *group) {
      std::snprintf(line, sizeof line, "  %-8s %s %-28s numa %2d %s%s%s\n", d.kind.c_str(),
                    d.pciBusId.c_str(), d.model.c_str(), d.numaNode,
                    d.osDevices.empty() ? "" : d.osDevices.front().c_str(),
                    d.nearestNic.empty() ? "" : ("  nearest nic " + d.nearestNic).c_str(),
                    d.nicPath.empty() ? "" : (" via " + d.nicPath).c_str());
      text += line;
    }
  }
  for (const DistanceMatrix& m : inventory.distances) {
    text += "distances " + m.name + ": " + std::to_string(m.objects.size()) + " x " +
            std::to_string(m.objects.size()) + "\n";
  }
  for (const GpuPairPath& pair : inventory.gpuPairs) {
    text += "  gpus     " + pair.a + " - " + pair.b + " " + pair.path +
            (pair.nvlinkGbps > 0 ? " " + formatted("%g", pair.nvlinkGbps) + " GB/s" : "") + "\n";
  }
  for (const NetInterface& i : inventory.interfaces) {
    text += "  iface    " + i.name + " (" + i.kind + ")" + (i.ipv4.empty() ? "" : " " + i.ipv4) +
            " mtu " + std::to_string(i.mtu) +
            (i.speedMbps > 0 ? " " + std::to_string(i.speedMbps) + " Mb/s" : "") +
            (i.up ? "" : " down") + "\n";
  }
  if (inventory.cuda) {
    for (const CudaDeviceRecord& d : inventory.cuda->devices) {
      text += "  cuda" + std::to_string(d.index) + "    " + d.pciBusId + " " + d.name + " sm_" +
              std::to_string(d.computeMajor) + std::to_string(d.computeMinor) + "\n";
    }
    for (const CudaPeerRecord& p : inventory.cuda->peers) {
      text += "  peer     cuda" + std::to_string(p.a) + " -> cuda" + std::to_string(p.b) +
              (p.access ? " access, performance rank " + std::to_string(p.performanceRank)
                        : " no access") +
              "\n";
    }
    if (!inventory.cuda->absentReason.empty())
      text += "cuda: " + inventory.cuda->absentReason + "\n";
  }
  if (inventory.ib) {
    for (const IbPortRecord& p : inventory.ib->ports) {
      text += "  ib       " + p.device + " port " + std::to_string(p.port) + " " + p.state + " " +
              p.linkLayer + " " + std::to_string(p.width) + "x " + p.speed + " " +
              formatted("%g", p.rateGbps) + " Gb/s\n";
    }
    if (!inventory.ib->absentReason.empty())
      text += "ibverbs: " + inventory.ib->absentReason + "\n";
  }
  return text;
}

}  // namespace topoplan
