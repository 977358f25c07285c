#include "report/scheduler/gang_workload.h"

namespace topoplan {

Result<GangPods> gangPods(const PlannedGang& plan, int gpusPerPod) {
  GangPods pods{static_cast<int>(plan.hosts.size()), plan.gpusPerHost, 0};
  if (plan.gpusPerHost == 0) {
    if (gpusPerPod > 0)
      return Error("--gpus-per-pod " + std::to_string(gpusPerPod) +
                   ": the plan takes whole hosts (no GPUs per host); one pod per host");
    return pods;
  }
  pods.gpusPerPod = gpusPerPod > 0 ? gpusPerPod : 1;
  if (plan.gpusPerHost % pods.gpusPerPod != 0)
    return Error("--gpus-per-pod " + std::to_string(pods.gpusPerPod) + ": expected a divisor of " +
                 "the " + std::to_string(plan.gpusPerHost) + " GPUs the plan takes on each host");
  return pods;
}

YamlObject requiredHostnameIn(const std::vector<std::string>& hosts) {
  return {
      {"requiredDuringSchedulingIgnoredDuringExecution",
       {{"nodeSelectorTerms",
         YamlObject::array({{{"matchExpressions", YamlObject::array({{{"key", kHostnameLabel},
                                                                      {"operator", "In"},
                                                                      {"values", hosts}}})}}})}}}};
}

YamlObject oneHostEach(const std::string& key, const std::string& value) {
  return {{"requiredDuringSchedulingIgnoredDuringExecution",
           YamlObject::array({{{"topologyKey", kHostnameLabel},
                               {"labelSelector", {{"matchLabels", {{key, value}}}}}}})}};
}

YamlObject gangPodTemplate(const GangPods& pods, const K8sOptions& options,
                           const YamlObject& metadata, const std::string& schedulerName,
                           const std::string& antiAffinityLabel) {
  YamlObject container = {{"name", "worker"}, {"image", options.image}};
  if (pods.gpusPerPod > 0)
    container["resources"] = {{"limits", {{"nvidia.com/gpu", std::to_string(pods.gpusPerPod)}}}};
  YamlObject spec = YamlObject::object();
  if (!schedulerName.empty()) spec["schedulerName"] = schedulerName;
  spec["restartPolicy"] = "Never";
  if (!antiAffinityLabel.empty() && pods.podsPerHost() == 1) {
    const std::size_t equals = antiAffinityLabel.find('=');
    spec["affinity"] = {{"podAntiAffinity", oneHostEach(antiAffinityLabel.substr(0, equals),
                                                        antiAffinityLabel.substr(equals + 1))}};
  }
  spec["containers"] = YamlObject::array({container});
  YamlObject podTemplate = YamlObject::object();
  if (!metadata.empty()) podTemplate["metadata"] = metadata;
  podTemplate["spec"] = spec;
  return podTemplate;
}

YamlObject gangBatchJob(const std::string& name, const YamlObject& metadata, const GangPods& pods,
                        const YamlObject& podTemplate, bool suspend) {
  YamlObject meta = {{"name", name}};
  meta.update(metadata);
  YamlObject spec = YamlObject::object();
  if (suspend) spec["suspend"] = true;
  spec["completionMode"] = "Indexed";
  spec["parallelism"] = pods.pods();
  spec["completions"] = pods.pods();
  spec["backoffLimit"] = 0;
  spec["template"] = podTemplate;
  return {{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", meta}, {"spec", spec}};
}

YamlObject gangVolcanoJob(const std::string& name, const K8sOptions& options, const GangPods& pods,
                          const YamlObject& podTemplate, const YamlObject& networkTopology) {
  YamlObject spec = {
      {"schedulerName", "volcano"},
      {"queue", options.queue},
      {"minAvailable", pods.pods()},
      {"networkTopology", networkTopology},
      {"tasks", YamlObject::array(
                    {{{"name", "worker"}, {"replicas", pods.pods()}, {"template", podTemplate}}})}};
  return {{"apiVersion", "batch.volcano.sh/v1alpha1"},
          {"kind", "Job"},
          {"metadata", {{"name", name}}},
          {"spec", spec}};
}

YamlObject gangMpiJob(const std::string& name, const YamlObject& metadata, const GangPods& pods,
                      const YamlObject& launcherTemplate, const YamlObject& workerTemplate) {
  YamlObject meta = {{"name", name}};
  meta.update(metadata);
  YamlObject spec = {
      {"slotsPerWorker", pods.gpusPerPod > 0 ? pods.gpusPerPod : 1},
      {"runPolicy", {{"cleanPodPolicy", "Running"}}},
      {"mpiReplicaSpecs",
       {{"Launcher",
         {{"replicas", 1}, {"restartPolicy", "OnFailure"}, {"template", launcherTemplate}}},
        {"Worker",
         {{"replicas", pods.pods()}, {"restartPolicy", "Never"}, {"template", workerTemplate}}}}}};
  return {{"apiVersion", "kubeflow.org/v2beta1"},
          {"kind", "MPIJob"},
          {"metadata", meta},
          {"spec", spec}};
}

}  // namespace topoplan
