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
};

}  // namespace topoplan
