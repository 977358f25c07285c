#include "report/k8s_export.h"

#include <map>

#include "placement/planner.h"
#include "report/export_names.h"
#include "report/yaml_emit.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kHostnameKey = "kubernetes.io/hostname";

bool isAcceleratorLevel(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == "accelerator" || lower == "nvlink";
}

std::string flavorKey(const K8sOptions& options) {
  return options.labelPrefix + "/topology";
}

std::vector<std::string> domainPaths(const Topology& topology, const std::string& prefix) {
  std::vector<std::string> paths;
  for (const Domain& domain : topology.domains())
    paths.push_back(prefix.empty() ? domain.name : prefix + "/" + domain.name);
  return paths;
}

// Every node's labels, in level order, then the flavor label.
std::vector<std::vector<std::pair<std::string, std::string>>> hostLabels(
    const Topology& topology, const K8sOptions& options) {
  const std::vector<std::string> keys = levelLabelKeys(topology, options);
  const std::vector<std::string> values = rewriteNames(domainPaths(topology, ""), labelValueRule());
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  for (const Host& host : topology.hosts()) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (std::size_t level = 0; level < keys.size(); ++level)
      labels.emplace_back(keys[level], values[static_cast<std::size_t>(host.domains[level])]);
    labels.emplace_back(flavorKey(options), options.name);
    out.push_back(labels);
  }
  return out;
}

std::map<std::string, std::string> evidenceByHost(const std::vector<Finding>& degraded) {
  std::map<std::string, std::string> out;
  for (const Finding& f : degraded) out[f.subject] = f.evidence;
  return out;
}

std::string quote(const std::string& word) {  // single quotes for sh; names hold none
  return "'" + word + "'";
}

// The level key at which the smallest domain holding the whole gang sits; the hostname for a
// single host; empty when only the whole cluster holds it.
std::string tightestKey(const Topology& topology, const K8sOptions& options,
                        const PlannedGang& plan) {
  if (plan.hosts.size() == 1) return kHostnameKey;
  const int domain = commonDomain(topology, plan.hosts);
  if (domain < 0) return "";
  return levelLabelKeys(topology, options)[static_cast<std::size_t>(
      topology.domains()[static_cast<std::size_t>(domain)].level)];
}

Json metadata(const std::string& name) {
  return {{"name", name}};
}

}  // namespace

Status checkK8sExport(const Topology& topology, const K8sOptions& options) {
  if (options.labelScheme != "topoplan" && options.labelScheme != "topograph")
    return Error("--label-scheme '" + options.labelScheme + "': expected topoplan or topograph");
  if (options.kueueVersion != "v1beta1" && options.kueueVersion != "v1beta2")
    return Error("--kueue-version '" + options.kueueVersion + "': expected v1beta1 or v1beta2");
  TOPOPLAN_TRY(checkDnsName(options.labelPrefix, "--label-prefix", 253, true));
  TOPOPLAN_TRY(checkDnsName(options.name, "--name", 57, false));  // room for "-gang"
  return checkKubernetesHostNames(topology.hostNames());
}

std::vector<std::string> levelLabelKeys(const Topology& topology, const K8sOptions& options) {
  const std::vector<std::string>& levels = topology.levelNames();
  std::vector<std::string> keys(levels.size());
  if (options.labelScheme == "topograph") {
    int tier = 0;
    for (std::size_t i = levels.size(); i-- > 0;) {
      keys[i] = isAcceleratorLevel(levels[i])
                    ? "accelerator.topograph.run/domain"
                    : "fabric.topograph.run/tier-" + std::to_string(++tier);
    }
    return keys;
  }
  const std::vector<std::string> names = rewriteNames(levels, labelKeyNameRule());
  for (std::size_t i = 0; i < levels.size(); ++i) keys[i] = options.labelPrefix + "/" + names[i];
  return keys;
}

std::string nodeLabelsYaml(const Topology& topology, const std::vector<Finding>& degraded,
                           const K8sOptions& options) {
  const auto labels = hostLabels(topology, options);
  const auto evidence = evidenceByHost(degraded);
  std::vector<Json> nodes;
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const std::string& host = topology.hosts()[h].name;
    Json meta = metadata(host);
    meta["labels"] = Json::object();
    for (const auto& [key, value] : labels[h]) meta["labels"][key] = value;
    if (auto it = evidence.find(host); it != evidence.end()) {
      meta["labels"][options.labelPrefix + "/degraded"] = "true";
      meta["annotations"] = {{options.labelPrefix + "/degraded-evidence", it->second}};
    }
    nodes.push_back({{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", meta}});
  }
  return yamlDocuments(nodes, options.comment +
                                  "\napply with: kubectl apply --server-side "
                                  "--field-manager=topoplan -f FILE");
}

std::string nodeLabelsScript(const Topology& topology, const std::vector<Finding>& degraded,
                             const K8sOptions& options) {
  const auto labels = hostLabels(topology, options);
  const auto evidence = evidenceByHost(degraded);
  std::string text = "#!/bin/sh\n" + hashComment(options.comment) + "set -eu\n";
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const std::string& host = topology.hosts()[h].name;
    std::string line = "kubectl label node --overwrite " + quote(host);
    for (const auto& [key, value] : labels[h]) line += " " + quote(key + "=" + value);
    text += line + "\n";
    if (auto it = evidence.find(host); it != evidence.end()) {
      text += hashComment("degraded: " + it->second);
      text += "# suggested: kubectl taint node " + quote(host) + " " +
              quote(options.labelPrefix + "/degraded=true:PreferNoSchedule") + "\n";
    }
  }
  return text;
}

std::string kueueExport(const Topology& topology, const K8sOptions& options,
                        const PlannedGang* plan) {
  const std::string api = "kueue.x-k8s.io/" + options.kueueVersion;
  Json levels = Json::array();
  for (const std::string& key : levelLabelKeys(topology, options))
    levels.push_back({{"nodeLabel", key}});
  levels.push_back({{"nodeLabel", kHostnameKey}});
  std::vector<Json> docs;
  docs.push_back({{"apiVersion", api},
                  {"kind", "Topology"},
                  {"metadata", metadata(options.name)},
                  {"spec", {{"levels", levels}}}});
  docs.push_back(
      {{"apiVersion", api},
       {"kind", "ResourceFlavor"},
       {"metadata", metadata(options.name)},
       {"spec",
        {{"nodeLabels", {{flavorKey(options), options.name}}}, {"topologyName", options.name}}}});
  if (plan != nullptr) {
    std::string key = tightestKey(topology, options, *plan);
    std::string annotation = "kueue.x-k8s.io/podset-required-topology";
    if (key.empty()) {  // only the whole cluster holds it: ask for the coarsest level, softly
      annotation = "kueue.x-k8s.io/podset-preferred-topology";
      key = levels[0]["nodeLabel"].get<std::string>();
    }
    docs.push_back({{"apiVersion", "v1"},
                    {"kind", "PodTemplate"},
                    {"metadata", metadata(options.name + "-gang")},
                    {"template", {{"metadata", {{"annotations", {{annotation, key}}}}}}}});
  }
  return yamlDocuments(docs, options.comment);
}

std::string volcanoExport(const Topology& topology, const K8sOptions& options,
                          const PlannedGang* plan) {
  const std::vector<std::string> names =
      rewriteNames(domainPaths(topology, options.name), objectNameRule());
  const int levels = topology.levelCount();
  std::vector<Json> docs;
  for (int level = levels - 1; level >= 0; --level) {
    for (int d : topology.domainsAt(level)) {
      const Domain& domain = topology.domains()[static_cast<std::size_t>(d)];
      Json members = Json::array();
      if (level == levels - 1) {
        for (int host : domain.hosts) {
          members.push_back(
              {{"type", "Node"},
               {"selector",
                {{"exactMatch",
                  {{"name", topology.hosts()[static_cast<std::size_t>(host)].name}}}}}});
        }
      } else {
        for (int child : domain.children) {
          members.push_back(
              {{"type", "HyperNode"},
               {"selector", {{"exactMatch", {{"name", names[static_cast<std::size_t>(child)]}}}}}});
        }
      }
      docs.push_back({{"apiVersion", "topology.volcano.sh/v1alpha1"},
                      {"kind", "HyperNode"},
                      {"metadata", metadata(names[static_cast<std::size_t>(d)])},
                      {"spec",
                       {{"tier", levels - level},
                        {"tierName", topology.levelNames()[static_cast<std::size_t>(level)]},
                        {"members", members}}}});
    }
  }
  if (plan != nullptr) {
    const int domain = commonDomain(topology, plan->hosts);
    const bool held = domain >= 0;
    const int tier = held ? levels - topology.domains()[static_cast<std::size_t>(domain)].level
                          : std::max(levels, 1);
    Json spec = {
        {"minMember", plan->hosts.size()},
        {"networkTopology", {{"mode", held ? "hard" : "soft"}, {"highestTierAllowed", tier}}}};
    if (plan->gpusPerHost > 0)
      spec["minResources"] = {
          {"nvidia.com/gpu",
           std::to_string(plan->gpusPerHost * static_cast<long long>(plan->hosts.size()))}};
    docs.push_back({{"apiVersion", "scheduling.volcano.sh/v1beta1"},
                    {"kind", "PodGroup"},
                    {"metadata", metadata(options.name)},
                    {"spec", spec}});
  }
  return yamlDocuments(docs, options.comment);
}

std::string gangExport(const Topology& topology, const K8sOptions& options,
                       const PlannedGang& plan) {
  Json container = {{"name", "worker"}};
  if (plan.gpusPerHost > 0)
    container["resources"] = {{"limits", {{"nvidia.com/gpu", std::to_string(plan.gpusPerHost)}}}};
  Json affinity = {
      {"nodeAffinity",
       {{"requiredDuringSchedulingIgnoredDuringExecution",
         {{"nodeSelectorTerms",
           Json::array({{{"matchExpressions",
                          Json::array({{{"key", kHostnameKey},
                                        {"operator", "In"},
                                        {"values", topology.hostNames(plan.hosts)}}})}}})}}}}}};
  std::vector<Json> docs;
  docs.push_back({{"apiVersion", "scheduling.x-k8s.io/v1alpha1"},
                  {"kind", "PodGroup"},
                  {"metadata", metadata(options.name)},
                  {"spec", {{"minMember", plan.hosts.size()}}}});
  Json podSpec = {{"affinity", affinity}, {"containers", Json::array({container})}};
  Json podMetadata = {{"labels", {{"scheduling.x-k8s.io/pod-group", options.name}}}};
  docs.push_back({{"apiVersion", "v1"},
                  {"kind", "PodTemplate"},
                  {"metadata", metadata(options.name + "-gang")},
                  {"template", {{"metadata", podMetadata}, {"spec", podSpec}}}});
  return yamlDocuments(docs, options.comment + "\nthe pod template: add your image and command");
}

}  // namespace topoplan
