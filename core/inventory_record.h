// What a node has, reduced to what placement needs: the record that inventory documents and
// the probe's per-host inventory are views of.
#pragma once

#include <cstdint>
#include <optional>
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

// How two GPUs of a node reach each other: "nvlink" (a direct NVLink), "nvswitch" (both have
// NVLinks to NVSwitches), else the PCIe path between them as for nicPath.
struct GpuPairPath {
  std::string a, b;  // PCI bus ids
  std::string path;
  double nvlinkGbps = 0;  // NVLink bandwidth from hwloc's NVLinkBandwidth matrix; 0 without
};

// A CUDA device as the runtime sees it (live inventories, CUDA builds).
struct CudaDeviceRecord {
  int index = 0;
  std::string name;
  std::string pciBusId;
  std::uint64_t memoryBytes = 0;
  int computeMajor = 0, computeMinor = 0;
};

// Peer access from device a to device b: cudaDeviceCanAccessPeer and
// cudaDevP2PAttrPerformanceRank (0 is the best a node has).
struct CudaPeerRecord {
  int a = 0, b = 0;
  bool access = false;
  int performanceRank = -1;
  bool nativeAtomics = false;
};

// One port of an ibverbs device (live inventories, builds with rdma-core).
struct IbPortRecord {
  std::string device;  // mlx5_0
  int port = 1;
  std::string state;      // "ACTIVE", "DOWN" ...
  std::string linkLayer;  // "InfiniBand", "Ethernet"
  int width = 0;          // lanes
  std::string speed;      // "HDR", "NDR" ...
  double rateGbps = 0;    // lanes x lane rate, in Gb/s as ibstat reports it
};

// What a node's CUDA runtime or RDMA stack reports: devices, or why there are none.
struct CudaInventory {
  std::vector<CudaDeviceRecord> devices;
  std::vector<CudaPeerRecord> peers;
  std::string absentReason;  // set when there are no devices
};
struct IbInventory {
  std::vector<IbPortRecord> ports;
  std::string absentReason;
};

struct InventoryRecord {
  std::string source;  // "live" or the XML file
  std::string hostname;
  int packages = 0, numaNodes = 0, cores = 0, pus = 0;
  // By NUMA node (its OS index): its cores as a list ("0-23,48-71", "" when unknown) and its
  // package (-1 when unknown). NCCL topology files name CPUs only: each counts as a package, as
  // NCCL counts a path between two of them as crossing sockets (SYS).
  std::vector<std::string> numaCpusets;
  std::vector<int> numaPackages;
  // By NUMA node: its cores' logical indices ("0-11", as Slurm's gres.conf Cores= counts them);
  // "" when unknown (NCCL topology files list CPUs, not cores).
  std::vector<std::string> numaCores;
  std::vector<PciDeviceRecord> gpus, nics, nvswitches;
  std::vector<DistanceMatrix> distances;
  std::vector<GpuPairPath> gpuPairs;
  std::vector<NetInterface> interfaces;  // live inventories only
  std::optional<CudaInventory> cuda;     // live inventories only
  std::optional<IbInventory> ib;         // live inventories only
};

}  // namespace topoplan
