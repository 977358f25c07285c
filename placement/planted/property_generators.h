// RapidCheck generators for the placement property tests: planted clusters of every kind the
// fabric generator makes (1 to 3 levels or none, 1 to 3 domains per parent, oversubscribed or
// flat, latency that shows the levels or hides them, degraded hosts and uplinks, mis-cabled hosts,
// concurrent-round contention, shuffled names, mixed GPU counts), measured or declared; free
// states; and gang requests. A failing case shrinks to a small cluster and request.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "placement/gang.h"
#include "placement/planted/planted_cluster.h"

namespace topoplan::property {

inline constexpr int kMaxPropertyHosts = 40;

// A whole number in [low, high), uniform whatever the test case's size (RapidCheck grows ranges
// with the size; the clusters must be of every shape from the first case on). Shrinks to low.
inline int uniform(int low, int high) {
  return *rc::gen::resize(100, rc::gen::inRange(low, high));
}

inline PlantedClusterSpec genClusterSpec() {
  PlantedClusterSpec spec;
  FabricSpec& f = spec.fabric;
  const int levels = uniform(0, 4);
  int domains = 1;
  for (int l = 0; l < levels; ++l) {
    GeneratedLevel level;
    level.name = "l" + std::to_string(l);
    level.count = uniform(1, 4);
    level.oversubscription = *rc::gen::element(1.0, 2.0, 4.0);
    level.hopLatencyUs = *rc::gen::element(0.0, 0.5, 5.0);
    domains *= level.count;
    f.levels.push_back(level);
  }
  f.hostsPerDomain = uniform(1, std::max(2, kMaxPropertyHosts / domains) + 1);
  if (domains * f.hostsPerDomain < 2) f.hostsPerDomain = 2;
  f.gpusPerHost = *rc::gen::element(1, 4, 8);
  f.noise = *rc::gen::element(0.0, 0.05, 0.3);
  f.latencyNoise = *rc::gen::element(0.0, 0.05, 0.5);
  f.degradedHosts = uniform(0, 3);
  f.degradedFactor = *rc::gen::element(0.02, 0.1, 0.45);
  f.degradedUplinks = uniform(0, 2);
  f.misCabledHosts = uniform(0, 2);
  f.contention = *rc::gen::element(0.0, 0.3);
  f.shuffleNames = *rc::gen::arbitrary<bool>();
  f.seed = *rc::gen::inRange(1u, 1000000u);
  spec.measured = *rc::gen::arbitrary<bool>();
  spec.gpusPerHost = *rc::gen::container<std::vector<int>>(static_cast<std::size_t>(uniform(0, 4)),
                                                           rc::gen::element(1, 2, 4, 8));
  return spec;
}

inline PlantedCluster genCluster() {
  const PlantedClusterSpec spec = genClusterSpec();
  auto cluster = plantCluster(spec);
  RC_ASSERT(cluster.ok());
  return std::move(*cluster);
}

// Per host: free GPUs in [0, its GPUs]; about one host in eight unavailable (drained).
inline FreeState genFreeState(const Topology& topology) {
  std::map<std::string, int> free;
  std::set<std::string> unavailable;
  for (const Host& host : topology.hosts()) {
    free[host.name] = *rc::gen::oneOf(rc::gen::just(host.gpus),
                                      rc::gen::resize(100, rc::gen::inRange(0, host.gpus + 1)));
    if (uniform(0, 8) == 0) unavailable.insert(host.name);
  }
  auto state = FreeState::fromMap(topology, free, "generated", unavailable);
  RC_ASSERT(state.ok());
  return std::move(*state);
}

// Every gang size from 1 to one more than the cluster, whole hosts or 1 to 9 GPUs each, every
// pattern, degraded hosts allowed or not, any required and preferred level.
inline GangRequest genRequest(const Topology& topology) {
  GangRequest request;
  const int hosts = static_cast<int>(topology.hosts().size());
  request.hosts = uniform(1, hosts + 2);
  request.gpusPerHost = uniform(0, 10);
  request.pattern = *rc::gen::element(Pattern::kRing, Pattern::kTree, Pattern::kAllToAll);
  request.bytes = *rc::gen::element<std::uint64_t>(0, 1, 1 << 20, 1ULL << 34);
  request.requireLevel = uniform(-1, topology.levelCount());
  request.preferLevel = uniform(-1, topology.levelCount());
  request.avoidDegraded = *rc::gen::arbitrary<bool>();
  request.top = *rc::gen::inRange(0, 4);
  return request;
}

}  // namespace topoplan::property
