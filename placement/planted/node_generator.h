// Nodes with planted inside topology, for the GPU choice's tests and bench (placement/node):
// sockets, NUMA nodes, PCIe switches, GPUs and NICs, with one of four GPU interconnects:
//   nvswitch          every pair over NVSwitch (DGX A100/H100, HGX)
//   hybrid-cube-mesh  two fully NVLinked quads joined GPU i to i+4, some links doubled (DGX-1)
//   nvlink-pairs      GPUs bridged in pairs, PCIe otherwise (PCIe cards with NVLink bridges)
//   pcie              PCIe only: the same switch, the host bridge, across sockets
// The PCIe tree is drawn at random (1 or 2 sockets, 1 or 2 switches a socket, 1 or 2 GPUs a
// switch for the PCIe kinds; 8 GPUs on 4 switches for the NVLink kinds), each switch has a NIC
// or not, figures carry 2% noise as measured ones do, and a random share of the GPUs is busy.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "placement/node/node_model.h"

namespace topoplan {

enum class NodeKind { kNvswitch, kHybridCubeMesh, kNvlinkPairs, kPcie };
const char* name(NodeKind kind);
constexpr NodeKind kNodeKinds[] = {NodeKind::kNvswitch, NodeKind::kHybridCubeMesh,
                                   NodeKind::kNvlinkPairs, NodeKind::kPcie};

struct PlantedNode {
  NodeKind kind = NodeKind::kPcie;
  NodeModel model;
  std::vector<bool> busy;  // by GPU position
  int freeGpus() const;
};

PlantedNode plantNode(NodeKind kind, std::mt19937_64& rng);

}  // namespace topoplan
