#include "report/documents/probe_structure.h"

#include <map>

#include "core/document.h"

namespace topoplan {

FabricStructure structureOf(const Topology& topology, const std::string& source) {
  FabricStructure structure;
  structure.source = source;
  structure.levelNames = topology.levelNames();
  for (const Host& host : topology.hosts()) {
    auto& path = structure.hostDomains[host.name];
    for (int domain : host.domains)
      path.push_back(topology.domains()[static_cast<std::size_t>(domain)].name);
  }
  return structure;
}

std::vector<PairMeasurement> hostPairs(const ProbeResult& result,
                                       const std::vector<std::string>& rankHosts) {
  std::map<std::pair<std::string, std::string>, PairMeasurement> best;
  for (const LinkMeasurement& link : result.links) {
    const std::string& a = rankHosts[static_cast<std::size_t>(link.a)];
    const std::string& b = rankHosts[static_cast<std::size_t>(link.b)];
    const auto& figures = link.primary();
    if (a == b || figures.empty()) continue;
    PairMeasurement pair;
    pair.a = std::min(a, b);
    pair.b = std::max(a, b);
    pair.gbps = figures.back().bwGbps.median;
    pair.latencyUs = figures.front().latUs.median;
    auto [at, added] = best.try_emplace({pair.a, pair.b}, pair);
    if (!added && pair.gbps > at->second.gbps) at->second = pair;
  }
  std::vector<PairMeasurement> pairs;
  for (auto& [key, pair] : best) pairs.push_back(std::move(pair));
  return pairs;
}

FabricStructure inferStructure(const ProbeResult& firstPass,
                               const std::vector<std::string>& rankHosts) {
  const std::vector<std::string> hosts = uniqueHosts(rankHosts);
  if (hosts.size() < 2) return {};
  auto inferred = inferCluster(hosts, hostPairs(firstPass, rankHosts), {}, "the first pass");
  if (!inferred) return {};
  return structureOf(inferred->topology, "the structure inferred from the first pass (" +
                                             std::to_string(inferred->topology.levelCount()) +
                                             " level(s))");
}

}  // namespace topoplan
