// Kubernetes exports of a topology and a planned gang: node labels (Node objects for server-side
// apply, or a kubectl script), Kueue Topology + ResourceFlavor, Volcano HyperNodes + PodGroup,
// and a coscheduling PodGroup with a pod template pinned to the gang's nodes.
//
// Label keys: "<prefix>/<level>" per level (level names rewritten by labelKeyNameRule()), or with
// the topograph scheme "fabric.topograph.run/tier-N" (tier-1 the finest level) and
// "accelerator.topograph.run/domain" for a level named accelerator or nvlink. Label values and
// object names are domain paths rewritten by labelValueRule() and objectNameRule()
// (export_names.h). Every node also gets "<prefix>/topology: <name>", the label the
// ResourceFlavor selects. Host names must be valid Kubernetes node names.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "placement/inference.h"
#include "placement/topology.h"
#include "report/plan_document.h"

namespace topoplan {

struct K8sOptions {
  std::string labelScheme = "topoplan";  // or "topograph"
  std::string labelPrefix = "topology.topoplan.dev";
  std::string kueueVersion = "v1beta2";  // or "v1beta1"
  std::string name = "topoplan";         // Topology, ResourceFlavor and PodGroup name
  std::string comment;                   // '#' lines at the top
};

// Checks the options (prefix, name) and the host names before anything is written.
Status checkK8sExport(const Topology& topology, const K8sOptions& options);

// Label keys per level, coarsest first.
std::vector<std::string> levelLabelKeys(const Topology& topology, const K8sOptions& options);

// Node objects with labels (apply with kubectl apply --server-side); degraded hosts get the label
// "<prefix>/degraded: true" and their evidence as an annotation.
std::string nodeLabelsYaml(const Topology& topology, const std::vector<Finding>& degraded,
                           const K8sOptions& options);
// The same as kubectl label commands; degraded hosts get a suggested taint, commented out.
std::string nodeLabelsScript(const Topology& topology, const std::vector<Finding>& degraded,
                             const K8sOptions& options);

// Kueue Topology and ResourceFlavor; with a plan, a PodTemplate whose pod template carries
// kueue.x-k8s.io/podset-required-topology at the tightest level that holds the gang.
std::string kueueExport(const Topology& topology, const K8sOptions& options,
                        const PlannedGang* plan);

// Volcano HyperNodes, tier 1 the finest level; with a plan, a PodGroup with minMember and a hard
// networkTopology limited to the tier of the gang's smallest common domain.
std::string volcanoExport(const Topology& topology, const K8sOptions& options,
                          const PlannedGang* plan);

// For a plan: a coscheduling PodGroup and a PodTemplate requiring the gang's nodes.
std::string gangExport(const Topology& topology, const K8sOptions& options,
                       const PlannedGang& plan);

}  // namespace topoplan
