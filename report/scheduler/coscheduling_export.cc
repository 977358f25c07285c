#include "report/scheduler/coscheduling_export.h"

#include "report/scheduler/gang_workload.h"
#include "report/scheduler/kueue_export.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {

Result<std::string> coschedulingExport(const Topology& topology,
                                       const std::vector<Finding>& degraded,
                                       const K8sOptions& options, const PlannedGang& plan) {
  auto pods = gangPods(plan, options.gpusPerPod);
  if (!pods) return pods.error();
  constexpr const char* kGroupLabel = "scheduling.x-k8s.io/pod-group";
  YamlObject podTemplate =
      gangPodTemplate(*pods, options, {{"labels", {{kGroupLabel, options.name}}}},
                      options.schedulerName, std::string(kGroupLabel) + "=" + options.name);
  podTemplate["spec"]["affinity"]["nodeAffinity"] =
      requiredHostnameIn(topology.hostNames(plan.hosts));
  std::vector<YamlObject> docs;
  docs.push_back({{"apiVersion", "scheduling.x-k8s.io/v1alpha1"},
                  {"kind", "PodGroup"},
                  {"metadata", {{"name", options.name}}},
                  {"spec", {{"minMember", pods->pods()}}}});
  docs.push_back(
      gangBatchJob(options.name + "-gang", YamlObject::object(), *pods, podTemplate, false));
  std::string comment = options.comment + "\nThe Job: " + std::to_string(pods->pods()) +
                        " pods on the planned hosts, all or none (PodGroup " + options.name +
                        "), scheduled by " + options.schedulerName +
                        "; replace the image and add your command.";
  const std::string advice = degradedHostAdvice(degraded, options);
  if (!advice.empty()) comment += "\n" + advice;
  return yamlDocuments(docs, comment);
}

}  // namespace topoplan
