// The inside of one node as GPU placement sees it: its GPUs with their PCIe switch, NUMA node and
// socket, its NICs, the cores of each NUMA node, and how fast each pair of GPUs talks: measured
// where the gpu probe ran, else declared from the path between them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace topoplan {

// The path between two GPUs, best first, as NCCL ranks them (NVL, PIX, PXB/PHB, NODE, SYS):
// a direct NVLink, NVSwitch, one PCIe switch, the host bridge, the NUMA node, across sockets.
enum class GpuPath { kNvlink, kNvswitch, kPcieSwitch, kHostBridge, kNuma, kSystem };
const char* name(GpuPath path);
std::optional<GpuPath> parseGpuPath(std::string_view text);

struct NodeGpu {
  int index = 0;  // the CUDA / NVML index
  std::string pciBusId;
  int pcieSwitch = -1;  // -1: below no PCIe switch of its own (or unknown)
  int numa = -1;
  int socket = -1;
};

struct NodeNic {
  std::string name;  // mlx5_0
  int pcieSwitch = -1;
  int numa = -1;
  int socket = -1;
};

struct NodeModel {
  std::vector<NodeGpu> gpus;
  std::vector<NodeNic> nics;
  std::vector<std::string> numaCpusets;  // by NUMA node: "0-23,48-71"; empty when unknown
  std::vector<std::string> numaCores;    // by NUMA node: core logical indices; empty: unknown
  // gpus.size()^2, row-major; the diagonal unused.
  std::vector<double> gbps;
  std::vector<GpuPath> paths;

  std::size_t size() const { return gpus.size(); }
  double pairGbps(std::size_t a, std::size_t b) const { return gbps[a * size() + b]; }
  GpuPath pairPath(std::size_t a, std::size_t b) const { return paths[a * size() + b]; }
};

// What a GPU-to-GPU transfer is declared to reach over a path when nothing was measured, GB/s:
// NVLink the measured or declared NVLink figure (hwloc's NVLinkBandwidth), NVSwitch likewise;
// PCIe paths the GPU's PCIe link, less each hop away (PCIe switch 100%, host bridge 80%, NUMA
// node 60%, across sockets 40%, as peer copies through the root complex and the inter-socket
// link measure on PCIe Gen4/Gen5 hosts).
double declaredGbps(GpuPath path, double nvlinkGbps, double pcieGbps);

// A PCI bus id as ids are compared ("0000:C2:00.0" and "0000:c2:00.0" are one GPU): lowercase.
std::string busIdKey(std::string_view id);

}  // namespace topoplan
