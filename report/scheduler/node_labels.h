// The topology as node labels, the way they land on a live cluster:
//
// - a kubectl script that labels every node that exists, names the ones that do not, and exits
//   1 at the end when any was missing or refused (it never stops half-way);
// - Node objects for server-side apply, headed by how to apply them safely: server-side apply
//   creates a Node that does not exist, so the header checks that every node exists first.
//
// Degraded hosts get the label "<prefix>/degraded: true" and their evidence as an annotation
// (YAML) or a comment with the taint that keeps new pods off them (script).
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

std::string nodeLabelsYaml(const Topology& topology, const std::vector<Finding>& degraded,
                           const K8sOptions& options);

std::string nodeLabelsScript(const Topology& topology, const std::vector<Finding>& degraded,
                             const K8sOptions& options);

}  // namespace topoplan
