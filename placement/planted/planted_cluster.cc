#include "placement/planted/planted_cluster.h"

#include "placement/inference.h"
#include "placement/planted/inference_truth.h"

namespace topoplan {

Result<Topology> withGpuCounts(const Topology& topology, const std::vector<int>& gpus) {
  if (gpus.empty()) return topology;
  std::vector<HostPath> rows;
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const Host& host = topology.hosts()[h];
    HostPath row{host.name, {}, gpus[h % gpus.size()], 0};
    for (int domain : host.domains)
      row.labels.push_back(topology.domains()[static_cast<std::size_t>(domain)].label);
    rows.push_back(std::move(row));
  }
  return Topology::fromPaths(topology.levelNames(), rows, "the planted cluster");
}

Result<PlantedCluster> plantCluster(const PlantedClusterSpec& spec) {
  PlantedCluster cluster;
  cluster.fabric = generateFabric(spec.fabric);
  const GeneratedFabric& fabric = cluster.fabric;
  std::vector<std::string> degradedNames;
  std::vector<std::pair<std::string, std::string>> degradedLinks;
  std::vector<std::string> unplacedNames;
  Result<Topology> topology = Error("no topology");
  if (spec.measured) {
    InferenceOptions options;
    options.gpusPerHost = spec.fabric.gpusPerHost;
    auto inferred = inferCluster(fabric.hosts, fabric.pairs, options, "the planted fabric");
    if (!inferred) return inferred.error();
    for (const Finding& f : inferred->degradedHosts) degradedNames.push_back(f.subject);
    for (const Finding& f : inferred->unplacedHosts) unplacedNames.push_back(f.subject);
    degradedLinks = inferred->degradedLinkHosts;
    topology = withGpuCounts(inferred->topology, spec.gpusPerHost);
  } else {
    degradedNames.assign(fabric.degradedHosts.begin(), fabric.degradedHosts.end());
    auto declared = truthTopology(fabric, true);
    if (!declared) return declared.error();
    topology = withGpuCounts(*declared, spec.gpusPerHost);
  }
  if (!topology) return topology.error();
  cluster.topology = std::make_unique<Topology>(std::move(*topology));
  cluster.cost = std::make_unique<CostModel>(*cluster.topology);
  if (spec.measured)
    applyMeasuredFigures(*cluster.topology, fabric.pairs, degradedNames, degradedLinks,
                         *cluster.cost);
  else
    applyTruthFigures(fabric, *cluster.topology, *cluster.cost);
  for (const std::string& name : degradedNames)
    cluster.degradedHosts.insert(cluster.topology->hostIndex(name));
  for (const std::string& name : unplacedNames)
    cluster.unplacedHosts.insert(cluster.topology->hostIndex(name));
  return cluster;
}

PlantedClusterSpec unplacedDegradedHostSpec(unsigned seed) {
  PlantedClusterSpec spec;
  spec.fabric = fabricKinds()[0].spec(seed);
  spec.fabric.degradedHosts = 1;
  for (GeneratedLevel& level : spec.fabric.levels) level.hopLatencyUs = 0;
  return spec;
}

}  // namespace topoplan
