// Volcano network-topology-aware scheduling: HyperNodes of the cluster (tier 1 the finest level;
// spec.tierName, the level's name, from Volcano 1.14), or instead the controller's label
// discovery configuration (--volcano-discovery: volcano-controller-configmap, source label, the
// level label keys coarsest first, which numbers tiers the same way); with a plan, a
// batch.volcano.sh/v1alpha1 Job (schedulerName volcano, minAvailable every pod) whose
// networkTopology allows no tier above the gang's smallest common domain. The Job's controller
// creates the PodGroup and ties every pod to it.
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

Result<std::string> volcanoExport(const Topology& topology, const std::vector<Finding>& degraded,
                                  const K8sOptions& options, const PlannedGang* plan);

}  // namespace topoplan
