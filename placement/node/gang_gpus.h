// The GPUs, NICs and cores a gang gets on each of its hosts (the GPU choice of gpu_choice.h run
// on every host of the gang, among that host's free GPUs).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
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

// The choices one plan has made, by inventory, busy GPUs and count: hosts of one kind in the same
// state get the same choice without weighing every set again (8 of a DGX-2's 16 GPUs: 12,870
// sets, ~19 ms a host).
class GpuChoiceMemo {
 public:
  Result<GpuChoice> choose(const NodeModel& model, const std::vector<bool>& busy, int count);

 private:
  std::map<std::tuple<const NodeModel*, std::vector<bool>, int>, Result<GpuChoice>> made_;
};

// `freeGpus`: the host's free GPU count as the free state has it; `totalGpus`: the cluster's
// count for the host. Where the state says some GPUs are busy but not which, there is no choice
// (the note says so): the scheduler could hand out any of them. `gpusPerHost` 0: all its GPUs.
HostGpus chooseHostGpus(const std::string& host, const NodeInventories& nodes, int freeGpus,
                        int totalGpus, int gpusPerHost, GpuChoiceMemo& memo);

}  // namespace topoplan
