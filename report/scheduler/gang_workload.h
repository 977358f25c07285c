// A planned gang as the workloads schedulers admit: its pods (one per host, or one per GPU with
// several on a host), and the batch/v1 Job, Volcano Job and MPIJob that carry them. Each builder
// returns a complete object the API server accepts (containers with a name and an image, a
// restart policy the kind allows); the container is a placeholder whose image and command the
// user replaces.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "core/result.h"
#include "report/documents/plan_document.h"
#include "report/scheduler/k8s_options.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {

struct GangPods {
  int hosts = 0;
  int gpusPerHost = 0;  // 0: whole hosts, no GPU request
  int gpusPerPod = 0;   // 0 with whole hosts
  int podsPerHost() const { return gpusPerHost > 0 ? gpusPerHost / gpusPerPod : 1; }
  int pods() const { return hosts * podsPerHost(); }
};

// The pods of `plan`: `gpusPerPod` GPUs each (0: one GPU per pod), which must divide the GPUs
// the plan takes on each host.
Result<GangPods> gangPods(const PlannedGang& plan, int gpusPerPod);

// A pod template (metadata, spec) for the gang's pods; `schedulerName` empty for the default
// scheduler. With one pod per host, `antiAffinityLabel` (key=value) keeps two of them off one
// host (required pod anti-affinity on the hostname).
YamlObject gangPodTemplate(const GangPods& pods, const K8sOptions& options,
                           const YamlObject& metadata, const std::string& schedulerName,
                           const std::string& antiAffinityLabel = "");

// A node affinity that requires one of `hosts` (kubernetes.io/hostname In ...).
YamlObject requiredHostnameIn(const std::vector<std::string>& hosts);

// A pod anti-affinity that keeps two pods labelled key=value off one host.
YamlObject oneHostEach(const std::string& key, const std::string& value);

// batch/v1 Job running the gang: Indexed, parallelism = completions = the pod count, no retries
// (a gang that lost a member fails whole); `suspend` for a queue that admits it.
YamlObject gangBatchJob(const std::string& name, const YamlObject& metadata, const GangPods& pods,
                        const YamlObject& podTemplate, bool suspend);

// batch.volcano.sh/v1alpha1 Job: one task of the gang's pods, minAvailable all of them.
YamlObject gangVolcanoJob(const std::string& name, const K8sOptions& options, const GangPods& pods,
                          const YamlObject& podTemplate, const YamlObject& networkTopology);

// kubeflow.org/v2beta1 MPIJob: a launcher and one worker per pod, slotsPerWorker the GPUs of a
// pod (1 for whole hosts).
YamlObject gangMpiJob(const std::string& name, const YamlObject& metadata, const GangPods& pods,
                      const YamlObject& launcherTemplate, const YamlObject& workerTemplate);

}  // namespace topoplan
