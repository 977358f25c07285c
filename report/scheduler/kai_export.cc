#include "report/scheduler/kai_export.h"

#include "report/scheduler/gang_workload.h"
#include "report/scheduler/kueue_export.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

constexpr const char* kScheduler = "kai-scheduler";

YamlObject placementAnnotations(const Topology& topology, const K8sOptions& options,
                                const std::vector<std::string>& levelKeys, const PlannedGang& plan,
                                const GangPods& pods) {
  YamlObject annotations = {{"kai.scheduler/topology", options.name}};
  const std::string key = tightestLabelKey(topology, options, plan.hosts);
  if (!key.empty())
    annotations["kai.scheduler/topology-required-placement"] = key;
  else
    annotations["kai.scheduler/topology-preferred-placement"] =
        levelKeys.empty() ? std::string(kHostnameLabel) : levelKeys[0];
  if (pods.podsPerHost() > 1) {
    annotations["kai.scheduler/segment-size"] = std::to_string(pods.podsPerHost());
    annotations["kai.scheduler/segment-topology-required-placement"] = kHostnameLabel;
  }
  return annotations;
}

}  // namespace

Result<std::string> kaiExport(const Topology& topology, const std::vector<Finding>& degraded,
                              const K8sOptions& options, const PlannedGang* plan) {
  const std::vector<std::string> levelKeys = levelLabelKeys(topology, options);
  YamlObject levels = YamlObject::array();
  for (const std::string& key : levelKeys) levels.push_back({{"nodeLabel", key}});
  levels.push_back({{"nodeLabel", kHostnameLabel}});
  std::vector<YamlObject> docs;
  docs.push_back({{"apiVersion", "kai.scheduler/v1alpha1"},
                  {"kind", "Topology"},
                  {"metadata", {{"name", options.name}}},
                  {"spec", {{"levels", levels}}}});
  std::string comment = options.comment +
                        "\nThe Topology's levels are node labels: label the nodes first "
                        "(topoplan export k8s-labels).";
  if (plan != nullptr) {
    auto pods = gangPods(*plan, options.gpusPerPod);
    if (!pods) return pods.error();
    YamlObject metadata = {
        {"labels", {{"kai.scheduler/queue", options.queue}}},
        {"annotations", placementAnnotations(topology, options, levelKeys, *plan, *pods)}};
    const YamlObject launcher = {
        {"spec",
         {{"schedulerName", kScheduler},
          {"restartPolicy", "OnFailure"},
          {"containers", YamlObject::array({{{"name", "launcher"}, {"image", options.image}}})}}}};
    const YamlObject worker = gangPodTemplate(*pods, options, YamlObject::object(), kScheduler);
    docs.push_back(gangMpiJob(options.name + "-gang", metadata, *pods, launcher, worker));
    comment += "\nThe MPIJob: " + std::to_string(pods->pods()) +
               " workers and a launcher (KAI places the launcher inside the same domain), "
               "queue " +
               options.queue + "; replace the image and the launcher's command.";
    if (pods->podsPerHost() > 1) comment += "\nThe segment annotations need KAI 0.13.";
  }
  const std::string advice = degradedHostAdvice(degraded, options);
  if (!advice.empty()) comment += "\n" + advice;
  return yamlDocuments(docs, comment);
}

}  // namespace topoplan
