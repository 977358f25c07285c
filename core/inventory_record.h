// What a node has, reduced to what placement needs: the record that inventory documents and
// the probe's per-host inventory are views of.
#pragma once

#include <string>
#include <vector>

namespace topoplan {

struct PciDeviceRecord {
  std::string kind;  // "gpu", "nic", "nvswitch"
  std::string pciBusId;
  std::string model;                   // GPUModel, or the PCI vendor:device
  std::vector<std::string> osDevices;  // cuda0, nvml0, mlx5_0, eth0 ...
  int numaNode = -1;                   // -1: unknown
  double pciLinkGBps = 0;              // hwloc's pci_link_speed (GB/s)
  // GPUs only: the nearest NIC and how they are joined: "pcie-switch" (a PCIe switch below
  // the host bridge), "host-bridge", "numa" (same NUMA node), "system" (across sockets).
  std::string nearestNic;
  std::string nicPath;
};

struct NetInterface {
  std::string name;
  // "loopback", "physical", "bridge", "veth", "overlay" (vxlan, geneve), "ipoib", "virtual"
  std::string kind;
  std::string ipv4;  // empty when it has none
  int mtu = 0;
  int speedMbps = -1;  // -1: unknown (virtual interfaces)
  bool up = false;
};

struct DistanceMatrix {
  std::string name;  // e.g. "NVLinkBandwidth", "NUMALatency"
  std::vector<std::string> objects;
  std::vector<double> values;  // row-major, objects.size()^2
};

struct InventoryRecord {
  std::string source;  // "live" or the XML file
  std::string hostname;
  int packages = 0, numaNodes = 0, cores = 0, pus = 0;
  std::vector<PciDeviceRecord> gpus, nics, nvswitches;
  std::vector<DistanceMatrix> distances;
  std::vector<NetInterface> interfaces;  // live inventories only
};

}  // namespace topoplan
