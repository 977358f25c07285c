#include "report/scheduler/node_labels.h"

#include <map>

#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

std::map<std::string, std::string> evidenceByHost(const std::vector<Finding>& degraded) {
  std::map<std::string, std::string> out;
  for (const Finding& f : degraded) out[f.subject] = f.evidence;
  return out;
}

}  // namespace

std::string nodeLabelsYaml(const Topology& topology, const std::vector<Finding>& degraded,
                           const K8sOptions& options) {
  const auto labels = hostLabels(topology, options);
  const auto evidence = evidenceByHost(degraded);
  std::vector<YamlObject> nodes;
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const std::string& host = topology.hosts()[h].name;
    YamlObject meta = {{"name", host}, {"labels", YamlObject::object()}};
    for (const auto& [key, value] : labels[h]) meta["labels"][key] = value;
    if (auto it = evidence.find(host); it != evidence.end()) {
      meta["labels"][options.labelPrefix + "/degraded"] = "true";
      meta["annotations"] = {{options.labelPrefix + "/degraded-evidence", it->second}};
    }
    nodes.push_back({{"apiVersion", "v1"}, {"kind", "Node"}, {"metadata", meta}});
  }
  return yamlDocuments(
      nodes, options.comment +
                 "\nServer-side apply creates a Node that does not exist: apply only when "
                 "every node below exists,\n  kubectl get -f FILE -o name >/dev/null && kubectl "
                 "apply --server-side --field-manager=topoplan -f FILE\nor label with the "
                 "script (topoplan export k8s-labels --script), which skips missing nodes.");
}

std::string nodeLabelsScript(const Topology& topology, const std::vector<Finding>& degraded,
                             const K8sOptions& options) {
  const auto labels = hostLabels(topology, options);
  const auto evidence = evidenceByHost(degraded);
  std::string text = "#!/bin/sh\n" + hashComment(options.comment) +
                     "# Labels every node that exists, lists those that do not (or that kubectl "
                     "refused) and exits 1 then.\n"
                     "# KUBECTL overrides the kubectl command.\n"
                     "kubectl=${KUBECTL:-kubectl}\n"
                     "labelled=0\nmissing=\nfailed=\n"
                     "label() {\n"
                     "  node=$1\n  shift\n"
                     "  if ! $kubectl get node \"$node\" >/dev/null 2>&1; then\n"
                     "    missing=\"$missing $node\"\n"
                     "  elif $kubectl label node --overwrite \"$node\" \"$@\" >/dev/null; then\n"
                     "    labelled=$((labelled + 1))\n"
                     "  else\n"
                     "    failed=\"$failed $node\"\n"
                     "  fi\n"
                     "}\n";
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const std::string& host = topology.hosts()[h].name;
    std::string line = "label " + shellQuote(host);
    for (const auto& [key, value] : labels[h]) line += " " + shellQuote(key + "=" + value);
    if (auto it = evidence.find(host); it != evidence.end()) {
      line += " " + shellQuote(options.labelPrefix + "/degraded=true");
      text += hashComment("degraded: " + it->second);
      text += "# to keep new pods off it: $kubectl taint node " + shellQuote(host) + " " +
              shellQuote(options.labelPrefix + "/degraded=true:NoSchedule") + "\n";
    }
    text += line + "\n";
  }
  text += "echo \"labelled $labelled of " + std::to_string(topology.hosts().size()) +
          " nodes\"\n"
          "status=0\n"
          "if [ -n \"$missing\" ]; then echo \"no such node:$missing\" >&2; status=1; fi\n"
          "if [ -n \"$failed\" ]; then echo \"kubectl label failed on:$failed\" >&2; status=1; fi\n"
          "exit $status\n";
  return text;
}

}  // namespace topoplan
