#include "report/inventory_document.h"

#include <cstdio>

namespace topoplan {
namespace {

nlohmann::ordered_json devicesJson(const std::vector<PciDeviceRecord>& devices) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PciDeviceRecord& d : devices) {
    nlohmann::ordered_json item = {
        {"pci_busid", d.pciBusId},
        {"model", d.model},
        {"os_devices", d.osDevices},
        {"numa_node",
         d.numaNode < 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.numaNode)},
        {"pci_link_gbps", d.pciLinkGBps}};
    if (d.kind == "gpu") {
      item["nearest_nic"] = d.nearestNic.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(d.nearestNic);
      item["nic_path"] =
          d.nicPath.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(d.nicPath);
    }
    list.push_back(item);
  }
  return list;
}

}  // namespace

nlohmann::ordered_json inventoryJson(const InventoryRecord& inventory) {
  nlohmann::ordered_json distances = nlohmann::ordered_json::array();
  for (const DistanceMatrix& m : inventory.distances) {
    distances.push_back({{"name", m.name}, {"objects", m.objects}, {"values", m.values}});
  }
  return {{"source", inventory.source},
          {"hostname", inventory.hostname},
          {"packages", inventory.packages},
          {"numa_nodes", inventory.numaNodes},
          {"cores", inventory.cores},
          {"pus", inventory.pus},
          {"gpus", devicesJson(inventory.gpus)},
          {"nics", devicesJson(inventory.nics)},
          {"nvswitches", devicesJson(inventory.nvswitches)},
          {"distances", distances}};
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
  for (const NetInterface& i : inventory.interfaces) {
    text += "  iface    " + i.name + " (" + i.kind + ")" + (i.ipv4.empty() ? "" : " " + i.ipv4) +
            " mtu " + std::to_string(i.mtu) +
            (i.speedMbps > 0 ? " " + std::to_string(i.speedMbps) + " Mb/s" : "") +
            (i.up ? "" : " down") + "\n";
  }
  return text;
}

}  // namespace topoplan
