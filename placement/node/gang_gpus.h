// The GPUs, NICs and cores a gang gets on each of its hosts (the GPU choice of gpu_choice.h run
// on every host of the gang, among that host's free GPUs).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "placement/node/gpu_choice.h"
#include "placement/node/node_model.h"

namespace topoplan {

// What place knows inside the hosts.
struct NodeInventories {
  std::map<std::string, NodeModel> byHost;      // a host's own inventory
  std::map<std::string, std::string> sourceOf;  // where each of byHost came from
  std::optional<NodeModel> fallback;            // --node-inventory: every other host's
  std::string fallbackSource;
  std::map<std::string, std::vector<int>> busyGpus;  // busy GPU indices, where the state names them
  std::map<std::string, std::vector<std::string>> busyBusIds;  // or their PCI bus ids (DRA)
  bool empty() const { return byHost.empty() && !fallback; }
};

struct HostGpus {
  std::string host;
  std::string source;         // the inventory the choice was made on
  int hostGpus = 0;           // every GPU the inventory lists
  std::vector<NodeGpu> gpus;  // the chosen GPUs, by index
  std::optional<GpuChoice> choice;
  std::string note;  // why there is no choice, or why it is not aligned
};

// `freeGpus`: the host's free GPU count as the free state has it; `totalGpus`: the cluster's
// count for the host. Where the state says some GPUs are busy but not which, there is no choice
// (the note says so): the scheduler could hand out any of them. `gpusPerHost` 0: all its GPUs.
HostGpus chooseHostGpus(const std::string& host, const NodeInventories& nodes, int freeGpus,
                        int totalGpus, int gpusPerHost);

}  // namespace topoplan
