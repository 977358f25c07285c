// What every Kubernetes export shares: the options, the label keys of the levels and the checks
// made before anything is written.
//
// Label schemes (--label-scheme):
//   topoplan          "<prefix>/<level>" per level (level names rewritten by labelKeyNameRule()).
//   topograph         NVIDIA topograph 1.0's keys: "fabric.topograph.run/tier-N" numbered from
//                     tier-0, the switch closest to the node, outwards; the accelerator level as
//                     "accelerator.topograph.run/domain" and a finer one inside it as
//                     "accelerator.topograph.run/sub-domain".
//   topograph-legacy  topograph before 1.0: "network.topology.nvidia.com/leaf", "spine" and
//                     "core" (closest first, three fabric tiers at most) and ".../accelerator".
// Accelerator levels are named by --accelerator-levels (domain[,sub-domain]); without it a level
// named accelerator, nvlink or nvl is the domain.
//
// Label values are domain paths rewritten by labelValueRule(), so a label names one domain of
// the cluster. Every node also gets "<prefix>/topology: <name>", the label a ResourceFlavor
// selects. Host names must be valid Kubernetes node names: they are never renamed.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "placement/topology.h"

namespace topoplan {

struct K8sOptions {
  std::string labelScheme = "topoplan";  // topoplan, topograph or topograph-legacy
  std::string labelPrefix = "topology.topoplan.dev";
  std::vector<std::string> acceleratorLevels;  // [domain level[, sub-domain level]]
  std::string kueueVersion = "v1beta2";        // v1alpha1, v1beta1 or v1beta2
  std::string volcanoVersion = "1.14";         // MAJOR.MINOR, at least 1.12
  bool volcanoDiscovery = false;  // the label discovery ConfigMap instead of HyperNodes
  std::string name = "topoplan";  // Topology, ResourceFlavor, PodGroup, workload name stem
  std::string queue = "default";  // Kueue LocalQueue, Volcano and KAI queue
  std::string schedulerName = "scheduler-plugins-scheduler";  // the coscheduling scheduler
  std::string image = "registry.invalid/replace-with-your-image:latest";
  int gpusPerPod = 0;   // 0: one GPU per pod when the plan names GPUs per host
  std::string comment;  // '#' lines at the top
};

constexpr const char* kHostnameLabel = "kubernetes.io/hostname";

// Checks the options (scheme, versions, prefix, name, accelerator levels) and the host names
// before anything is written.
Status checkK8sExport(const Topology& topology, const K8sOptions& options);

// Label keys per level, coarsest first (as a Kueue Topology lists them, without the hostname).
std::vector<std::string> levelLabelKeys(const Topology& topology, const K8sOptions& options);

// "<prefix>/topology": the label every exported node carries with the value options.name.
std::string flavorLabelKey(const K8sOptions& options);

// Every host's labels: one per level, in level order, then the flavor label.
std::vector<std::vector<std::pair<std::string, std::string>>> hostLabels(const Topology& topology,
                                                                         const K8sOptions& options);

// The label key of the smallest domain holding every host of `hosts` (the hostname for one
// host); empty when only the whole cluster holds them.
std::string tightestLabelKey(const Topology& topology, const K8sOptions& options,
                             const std::vector<int>& hosts);

// `text` quoted for sh (single quotes; a quote inside becomes '\'').
std::string shellQuote(const std::string& text);

}  // namespace topoplan
