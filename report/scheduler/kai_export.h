// NVIDIA KAI Scheduler: a kai.scheduler/v1alpha1 Topology (Kueue's shape: levels coarsest first,
// then the hostname); with a plan, an MPIJob (kubeflow.org/v2beta1) whose metadata names the
// Topology and requires the gang's tightest level (kai.scheduler/topology,
// kai.scheduler/topology-required-placement: KAI's pod grouper reads them from the top owner),
// a segment per host when several pods share one (KAI 0.13+), the queue label and
// schedulerName kai-scheduler on every pod. KAI groups a batch/v1 Job pod by pod, so a gang
// needs a kind it groups whole, as the MPIJob.
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

Result<std::string> kaiExport(const Topology& topology, const std::vector<Finding>& degraded,
                              const K8sOptions& options, const PlannedGang* plan);

}  // namespace topoplan
