#include "report/scheduler/kueue_export.h"

#include "report/scheduler/gang_workload.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

constexpr const char* kRequired = "kueue.x-k8s.io/podset-required-topology";
constexpr const char* kPreferred = "kueue.x-k8s.io/podset-preferred-topology";
constexpr const char* kSliceRequired = "kueue.x-k8s.io/podset-slice-required-topology";
constexpr const char* kSliceSize = "kueue.x-k8s.io/podset-slice-size";

// ResourceFlavor was never v1alpha1: Kueue 0.9 to 0.13 pair the v1alpha1 Topology with it.
std::string flavorVersion(const std::string& topologyVersion) {
  return topologyVersion == "v1alpha1" ? "v1beta1" : topologyVersion;
}

YamlObject topologyAnnotations(const Topology& topology, const K8sOptions& options,
                               const std::vector<std::string>& levelKeys, const PlannedGang& plan,
                               const GangPods& pods) {
  YamlObject annotations = YamlObject::object();
  const std::string key = tightestLabelKey(topology, options, plan.hosts);
  if (!key.empty())
    annotations[kRequired] = key;
  else  // only the whole cluster holds it: the coarsest level, as a preference
    annotations[kPreferred] = levelKeys.empty() ? std::string(kHostnameLabel) : levelKeys[0];
  if (pods.podsPerHost() > 1) {
    annotations[kSliceRequired] = kHostnameLabel;
    annotations[kSliceSize] = std::to_string(pods.podsPerHost());
  }
  return annotations;
}

std::string otherWorkloadsComment(const YamlObject& annotations) {
  const YamlObject patch = {
      {"spec",
       {{"mpiReplicaSpecs",
         {{"Worker", {{"template", {{"metadata", {{"annotations", annotations}}}}}}}}}}}};
  return "Other workloads take the same annotations on the pod template of their gang, before "
         "Kueue admits them (create them suspended):\n"
         "  JobSet      spec.replicatedJobs[].template.spec.template.metadata.annotations\n"
         "  MPIJob      spec.mpiReplicaSpecs.Worker.template.metadata.annotations\n"
         "  PyTorchJob  spec.pytorchReplicaSpecs.Worker.template.metadata.annotations\n"
         "e.g. kubectl patch mpijob NAME --type merge -p " +
         shellQuote(patch.dump());
}

}  // namespace

std::string kueueReleasesServing(const std::string& version) {
  if (version == "v1alpha1") return "Kueue 0.9 to 0.13 (removed in 0.14)";
  if (version == "v1beta1")
    return "Kueue 0.14 to 0.19 (deprecated from 0.16, no longer served from 0.20)";
  return "Kueue 0.15 and later";
}

std::string degradedHostAdvice(const std::vector<Finding>& degraded, const K8sOptions& options) {
  if (degraded.empty()) return "";
  std::string text =
      "Degraded hosts: no scheduler annotation keeps a workload off a node; taint them (Kueue "
      "0.17+ with TASReplaceNodeOnNodeTaints also moves admitted workloads off them):";
  for (const Finding& finding : degraded) {
    text += "\n  kubectl taint node " + finding.subject + " " + options.labelPrefix +
            "/degraded=true:NoSchedule   # " + finding.evidence;
  }
  return text;
}

Result<std::string> kueueExport(const Topology& topology, const std::vector<Finding>& degraded,
                                const K8sOptions& options, const PlannedGang* plan) {
  const std::string api = "kueue.x-k8s.io/" + options.kueueVersion;
  const std::vector<std::string> levelKeys = levelLabelKeys(topology, options);
  YamlObject levels = YamlObject::array();
  for (const std::string& key : levelKeys) levels.push_back({{"nodeLabel", key}});
  levels.push_back({{"nodeLabel", kHostnameLabel}});
  std::vector<YamlObject> docs;
  docs.push_back({{"apiVersion", api},
                  {"kind", "Topology"},
                  {"metadata", {{"name", options.name}}},
                  {"spec", {{"levels", levels}}}});
  docs.push_back({{"apiVersion", "kueue.x-k8s.io/" + flavorVersion(options.kueueVersion)},
                  {"kind", "ResourceFlavor"},
                  {"metadata", {{"name", options.name}}},
                  {"spec",
                   {{"nodeLabels", {{flavorLabelKey(options), options.name}}},
                    {"topologyName", options.name}}}});
  std::string comment = options.comment + "\n" + api + " Topology: served by " +
                        kueueReleasesServing(options.kueueVersion) +
                        "\nThe ResourceFlavor selects nodes labelled " + flavorLabelKey(options) +
                        "=" + options.name +
                        ": label them first (topoplan export k8s-labels), or it has no capacity.";
  if (plan != nullptr) {
    auto pods = gangPods(*plan, options.gpusPerPod);
    if (!pods) return pods.error();
    const YamlObject annotations = topologyAnnotations(topology, options, levelKeys, *plan, *pods);
    const YamlObject podTemplate =
        gangPodTemplate(*pods, options, {{"annotations", annotations}}, "");
    docs.push_back(gangBatchJob(options.name + "-gang",
                                {{"labels", {{"kueue.x-k8s.io/queue-name", options.queue}}}}, *pods,
                                podTemplate, true));
    comment += "\nThe Job: " + std::to_string(pods->pods()) + " pods (" +
               std::to_string(pods->hosts) + " hosts x " + std::to_string(pods->podsPerHost()) +
               "), queue " + options.queue + "; replace the image and add your command.";
    if (pods->podsPerHost() > 1 && options.kueueVersion == "v1alpha1")
      comment += "\nThe slice annotations need Kueue 0.13 (earlier releases ignore them).";
    comment += "\n" + otherWorkloadsComment(annotations);
  }
  const std::string advice = degradedHostAdvice(degraded, options);
  if (!advice.empty()) comment += "\n" + advice;
  return yamlDocuments(docs, comment);
}

}  // namespace topoplan
