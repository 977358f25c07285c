// The coscheduling plugin of kubernetes-sigs/scheduler-plugins: a PodGroup
// (scheduling.x-k8s.io/v1alpha1, minMember every pod) and a batch/v1 Job whose pods name it
// (label scheduling.x-k8s.io/pod-group), are scheduled by the scheduler that runs the plugin
// (--scheduler-name, scheduler-plugins-scheduler as its second-scheduler install names it), are
// held to the planned hosts (required node affinity) and, one pod per host, never share a host
// (required pod anti-affinity on kubernetes.io/hostname).
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

Result<std::string> coschedulingExport(const Topology& topology,
                                       const std::vector<Finding>& degraded,
                                       const K8sOptions& options, const PlannedGang& plan);

}  // namespace topoplan
