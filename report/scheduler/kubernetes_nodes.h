// Kubernetes' view of its nodes, from kubectl get nodes,pods -o json (scheduler_nodes.h lists
// the rules for which nodes accept work and what a pod holds).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/scheduler/scheduler_nodes.h"

namespace topoplan {

// A device of a DRA driver: its node and its PCI bus id (resource.kubernetes.io/pciBusID).
struct DraDevice {
  std::string node, pciBusId;
  bool gpu = false;  // of the NVIDIA GPU driver (gpu.nvidia.com)
};

// What kubectl get nodes,pods,resourceslices,resourceclaims -A -o json says, as read so far.
struct KubernetesState {
  std::map<std::string, SchedulerNode> nodes;
  std::map<std::string, int> used;           // GPUs pods request, by node
  std::map<std::string, DraDevice> devices;  // "driver/pool/device" -> the device
  std::vector<std::string> allocated;        // "driver/pool/device" of allocated claims
};

// Adds the Node, Pod, ResourceSlice and ResourceClaim items of `document` (either file of two
// may hold any kind).
Status readKubernetesItems(const nlohmann::ordered_json& document, const std::string& source,
                           KubernetesState& state);

// The nodes with the DRA GPUs: a node whose allocatable lists no nvidia.com/gpu counts the GPUs
// its ResourceSlices publish; allocated claims' GPUs are used, and named by PCI bus id where
// their slices publish it.
std::vector<SchedulerNode> kubernetesNodes(KubernetesState& state);

}  // namespace topoplan
