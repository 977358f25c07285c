#include "report/scheduler/k8s_options.h"

#include <algorithm>

#include "placement/planner.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/volcano_version.h"

namespace topoplan {
namespace {

std::string lowered(const std::string& text) {
  std::string out;
  for (char c : text) out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// The accelerator domain and sub-domain levels (-1 where none).
std::pair<int, int> acceleratorLevels(const Topology& topology, const K8sOptions& options) {
  const std::vector<std::string>& levels = topology.levelNames();
  auto find = [&](const std::string& name) {
    auto it = std::find(levels.begin(), levels.end(), name);
    return it == levels.end() ? -1 : static_cast<int>(it - levels.begin());
  };
  if (!options.acceleratorLevels.empty()) {
    return {find(options.acceleratorLevels[0]),
            options.acceleratorLevels.size() > 1 ? find(options.acceleratorLevels[1]) : -1};
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string name = lowered(levels[i]);
    if (name == "accelerator" || name == "nvlink" || name == "nvl")
      return {static_cast<int>(i), -1};
  }
  return {-1, -1};
}

int fabricLevelCount(const Topology& topology, const K8sOptions& options) {
  const auto [domain, sub] = acceleratorLevels(topology, options);
  return topology.levelCount() - (domain >= 0 ? 1 : 0) - (sub >= 0 ? 1 : 0);
}

Status checkAcceleratorLevels(const Topology& topology, const K8sOptions& options) {
  if (options.acceleratorLevels.size() > 2)
    return Error("--accelerator-levels: expected DOMAIN[,SUB_DOMAIN], got " +
                 std::to_string(options.acceleratorLevels.size()) + " levels");
  std::string known;
  for (const std::string& name : topology.levelNames()) known += (known.empty() ? "" : ", ") + name;
  for (const std::string& name : options.acceleratorLevels) {
    const auto& levels = topology.levelNames();
    if (std::find(levels.begin(), levels.end(), name) == levels.end())
      return Error("--accelerator-levels '" + name + "': expected one of the cluster's levels: " +
                   (known.empty() ? "(none)" : known));
  }
  const auto [domain, sub] = acceleratorLevels(topology, options);
  if (sub >= 0 && sub <= domain)
    return Error("--accelerator-levels: the sub-domain level '" + options.acceleratorLevels[1] +
                 "' must be finer than the domain level '" + options.acceleratorLevels[0] + "'");
  return okStatus();
}

}  // namespace

Status checkK8sExport(const Topology& topology, const K8sOptions& options) {
  if (options.labelScheme != "topoplan" && options.labelScheme != "topograph" &&
      options.labelScheme != "topograph-legacy")
    return Error("--label-scheme '" + options.labelScheme +
                 "': expected topoplan, topograph or topograph-legacy");
  if (options.kueueVersion != "v1alpha1" && options.kueueVersion != "v1beta1" &&
      options.kueueVersion != "v1beta2")
    return Error("--kueue-version '" + options.kueueVersion +
                 "': expected v1alpha1 (Kueue 0.9 to 0.13), v1beta1 (0.14 to 0.19) or v1beta2 "
                 "(0.15 and later)");
  TOPOPLAN_TRY(parseVolcanoVersion(options.volcanoVersion));
  if (options.gpusPerPod < 0)
    return Error("--gpus-per-pod " + std::to_string(options.gpusPerPod) + ": expected at least 1");
  TOPOPLAN_TRY(checkDnsName(options.labelPrefix, "--label-prefix", 253, true));
  TOPOPLAN_TRY(checkDnsName(options.name, "--name", 40, false));  // room for suffixes and indexes
  TOPOPLAN_TRY(checkDnsName(options.queue, "--queue", 63, false));
  TOPOPLAN_TRY(checkDnsName(options.schedulerName, "--scheduler-name", 253, true));
  if (options.image.empty() || options.image.find_first_of(" \t\r\n") != std::string::npos)
    return Error("--image '" + options.image + "': expected an image reference without spaces");
  TOPOPLAN_TRY(checkAcceleratorLevels(topology, options));
  if (options.labelScheme == "topograph-legacy" && acceleratorLevels(topology, options).second >= 0)
    return Error(
        "--label-scheme topograph-legacy: topograph before 1.0 has no accelerator "
        "sub-domain label; use --label-scheme topograph");
  if (options.labelScheme == "topograph-legacy" && fabricLevelCount(topology, options) > 3)
    return Error(
        "--label-scheme topograph-legacy: topograph before 1.0 labels three fabric tiers "
        "(leaf, spine, core), the cluster has " +
        std::to_string(fabricLevelCount(topology, options)) +
        " fabric levels; use --label-scheme topograph or topoplan");
  return checkKubernetesHostNames(topology.hostNames());
}

std::vector<std::string> levelLabelKeys(const Topology& topology, const K8sOptions& options) {
  const std::vector<std::string>& levels = topology.levelNames();
  std::vector<std::string> keys(levels.size());
  if (options.labelScheme == "topoplan") {
    const std::vector<std::string> names = rewriteNames(levels, labelKeyNameRule());
    for (std::size_t i = 0; i < levels.size(); ++i) keys[i] = options.labelPrefix + "/" + names[i];
    return keys;
  }
  const bool legacy = options.labelScheme == "topograph-legacy";
  const char* legacyTiers[] = {"leaf", "spine", "core"};
  const auto [domain, sub] = acceleratorLevels(topology, options);
  int tier = 0;  // closest to the node first
  for (std::size_t i = levels.size(); i-- > 0;) {
    const int level = static_cast<int>(i);
    if (level == domain) {
      keys[i] =
          legacy ? "network.topology.nvidia.com/accelerator" : "accelerator.topograph.run/domain";
    } else if (level == sub) {  // refused by checkK8sExport() for the legacy scheme
      keys[i] = "accelerator.topograph.run/sub-domain";
    } else {
      keys[i] = legacy ? std::string("network.topology.nvidia.com/") + legacyTiers[tier]
                       : "fabric.topograph.run/tier-" + std::to_string(tier);
      ++tier;
    }
  }
  return keys;
}

std::string flavorLabelKey(const K8sOptions& options) {
  return options.labelPrefix + "/topology";
}

std::vector<std::vector<std::pair<std::string, std::string>>> hostLabels(
    const Topology& topology, const K8sOptions& options) {
  const std::vector<std::string> keys = levelLabelKeys(topology, options);
  std::vector<std::string> paths;
  for (const Domain& domain : topology.domains()) paths.push_back(domain.name);
  const std::vector<std::string> values = rewriteNames(paths, labelValueRule());
  std::vector<std::vector<std::pair<std::string, std::string>>> out;
  for (const Host& host : topology.hosts()) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (std::size_t level = 0; level < keys.size(); ++level)
      labels.emplace_back(keys[level], values[static_cast<std::size_t>(host.domains[level])]);
    labels.emplace_back(flavorLabelKey(options), options.name);
    out.push_back(labels);
  }
  return out;
}

std::string tightestLabelKey(const Topology& topology, const K8sOptions& options,
                             const std::vector<int>& hosts) {
  if (hosts.size() == 1) return kHostnameLabel;
  const int domain = commonDomain(topology, hosts);
  if (domain < 0) return "";
  return levelLabelKeys(topology, options)[static_cast<std::size_t>(
      topology.domains()[static_cast<std::size_t>(domain)].level)];
}

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace topoplan
