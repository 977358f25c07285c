#include "report/scheduler/volcano_export.h"

#include "placement/hostlist.h"
#include "placement/planner.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/gang_workload.h"
#include "report/scheduler/kueue_export.h"
#include "report/scheduler/volcano_version.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

// Discovery type names become HyperNode names "hypernode-<type>-tier<N>-<random>": Volcano
// allows 20 characters.
constexpr std::size_t kDiscoveryTypeLength = 20;

std::vector<YamlObject> hyperNodes(const Topology& topology, const K8sOptions& options,
                                   const VolcanoVersion& version) {
  std::vector<std::string> paths;
  for (const Domain& domain : topology.domains()) paths.push_back(options.name + "/" + domain.name);
  const std::vector<std::string> names = rewriteNames(paths, objectNameRule());
  const int levels = topology.levelCount();
  std::vector<YamlObject> docs;
  for (int level = levels - 1; level >= 0; --level) {
    for (int d : topology.domainsAt(level)) {
      const Domain& domain = topology.domains()[static_cast<std::size_t>(d)];
      YamlObject members = YamlObject::array();
      const bool finest = level == levels - 1;
      for (int member : finest ? domain.hosts : domain.children) {
        const std::string& name = finest ? topology.hosts()[static_cast<std::size_t>(member)].name
                                         : names[static_cast<std::size_t>(member)];
        members.push_back({{"type", finest ? "Node" : "HyperNode"},
                           {"selector", {{"exactMatch", {{"name", name}}}}}});
      }
      YamlObject spec = {{"tier", levels - level}};
      if (version.hasTierName())
        spec["tierName"] = topology.levelNames()[static_cast<std::size_t>(level)];
      spec["members"] = members;
      docs.push_back({{"apiVersion", "topology.volcano.sh/v1alpha1"},
                      {"kind", "HyperNode"},
                      {"metadata", {{"name", names[static_cast<std::size_t>(d)]}}},
                      {"spec", spec}});
    }
  }
  return docs;
}

YamlObject discoveryConfigMap(const Topology& topology, const K8sOptions& options) {
  YamlObject labels = YamlObject::array();
  for (const std::string& key : levelLabelKeys(topology, options))
    labels.push_back({{"nodeLabel", key}});
  labels.push_back({{"nodeLabel", kHostnameLabel}});
  const YamlObject conf = {
      {"networkTopologyDiscovery",
       YamlObject::array({{{"source", "label"},
                           {"enabled", true},
                           {"config", {{"networkTopologyTypes", {{options.name, labels}}}}}}})}};
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", "volcano-controller-configmap"}, {"namespace", "volcano-system"}}},
          {"data", {{"volcano-controller.conf", yamlText(conf)}}}};
}

// hard: no tier above the gang's smallest common domain; soft at the top tier when only the
// whole cluster holds it.
YamlObject networkTopology(const Topology& topology, const PlannedGang& plan) {
  const int levels = topology.levelCount();
  const int domain = commonDomain(topology, plan.hosts);
  if (domain < 0) return {{"mode", "soft"}, {"highestTierAllowed", std::max(levels, 1)}};
  return {
      {"mode", "hard"},
      {"highestTierAllowed", levels - topology.domains()[static_cast<std::size_t>(domain)].level}};
}

}  // namespace

Result<std::string> volcanoExport(const Topology& topology, const std::vector<Finding>& degraded,
                                  const K8sOptions& options, const PlannedGang* plan) {
  auto version = parseVolcanoVersion(options.volcanoVersion);
  if (!version) return version.error();
  if (options.volcanoDiscovery && options.name.size() > kDiscoveryTypeLength)
    return Error("--name '" + options.name + "': Volcano's label discovery takes type names of " +
                 "at most 20 characters");
  std::vector<YamlObject> docs;
  std::string comment = options.comment + "\nfor Volcano " + options.volcanoVersion;
  if (options.volcanoDiscovery) {
    docs.push_back(discoveryConfigMap(topology, options));
    comment +=
        "\nThe HyperNodes come from the nodes' labels (label them first: topoplan export "
        "k8s-labels). This ConfigMap replaces the controller's whole configuration: merge its "
        "networkTopologyDiscovery entry into yours (Helm release other than volcano: "
        "<release>-controller-configmap).";
  } else {
    docs = hyperNodes(topology, options, *version);
    if (!version->hasTierName()) comment += "\nHyperNodes carry no tierName before Volcano 1.14.";
  }
  if (plan != nullptr) {
    auto pods = gangPods(*plan, options.gpusPerPod);
    if (!pods) return pods.error();
    const std::string job = options.name + "-gang";
    const std::string gangLabel = options.labelPrefix + "/gang";
    const YamlObject podTemplate = gangPodTemplate(*pods, options, {{"labels", {{gangLabel, job}}}},
                                                   "volcano", gangLabel + "=" + job);
    docs.push_back(
        gangVolcanoJob(job, options, *pods, podTemplate, networkTopology(topology, *plan)));
    comment += "\nThe Job: " + std::to_string(pods->pods()) + " pods, queue " + options.queue +
               "; the planned hosts are " + compressHostlist(topology.hostNames(plan->hosts)) +
               "; replace the image and add your command.";
  }
  const std::string advice = degradedHostAdvice(degraded, options);
  if (!advice.empty()) comment += "\n" + advice;
  return yamlDocuments(docs, comment);
}

}  // namespace topoplan
