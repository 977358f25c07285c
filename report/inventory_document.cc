#include "report/inventory_document.h"

#include <cstdio>

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

std::string formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
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
            (pair.nvlinkGbps > 0 ? " " + formatNumber(pair.nvlinkGbps) + " GB/s" : "") + "\n";
  }
  for (const GpuPairPath& pair : inventory.gpuPairs) {
    text += "  gpus     " + pair.a + " - " + pair.b + " " + pair.path +
            (pair.nvlinkGbps > 0 ? " " + formatNumber(pair.nvlinkGbps) + " GB/s" : "") + "\n";
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
              formatNumber(p.rateGbps) + " Gb/s\n";
    }
    if (!inventory.ib->absentReason.empty())
      text += "ibverbs: " + inventory.ib->absentReason + "\n";
  }
  return text;
}

}  // namespace topoplan
