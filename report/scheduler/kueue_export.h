// Kueue Topology-Aware Scheduling: a Topology of the cluster's levels and a ResourceFlavor that
// selects the exported nodes; with a plan, a suspended batch/v1 Job in the LocalQueue
// (--queue) whose pod template carries kueue.x-k8s.io/podset-required-topology at the tightest
// level holding the gang (slice annotations when several pods share a host), and the same
// annotations as a patch for other workload kinds. Kueue reads these annotations only on the
// pod templates of the workloads it manages, never on a standalone PodTemplate.
//
// API versions (--kueue-version): v1alpha1 is served by Kueue 0.9 to 0.13, v1beta1 by 0.14 to
// 0.19 (deprecated from 0.16, no longer served from 0.20), v1beta2 from 0.15. Kueue has no
// annotation that keeps a workload off a node: degraded hosts are listed with the taint to put
// on them.
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

// The Kueue releases that serve `version` (for the export's header and the README).
std::string kueueReleasesServing(const std::string& version);

Result<std::string> kueueExport(const Topology& topology, const std::vector<Finding>& degraded,
                                const K8sOptions& options, const PlannedGang* plan);

// What every export of a plan says about degraded hosts: their evidence and the taint that keeps
// new pods off them (empty without degraded hosts).
std::string degradedHostAdvice(const std::vector<Finding>& degraded, const K8sOptions& options);

}  // namespace topoplan
