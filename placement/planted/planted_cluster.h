// A cluster ready for the planner and the replay, built from a generated fabric with planted
// truth (fabric_generator.h): measured (inferred from the fabric's pairs and priced with their
// figures, as `place` does with a probe document) or declared (the declared paths, mis-cabling
// included, with the truth's figures). Hosts may have different GPU counts. The property tests,
// the planner's fuzz target and bench/replay build their clusters here.
#pragma once

#include <memory>
#include <set>
#include <vector>

#include "placement/cost_model.h"
#include "placement/planted/fabric_generator.h"
#include "placement/topology.h"

namespace topoplan {

struct PlantedClusterSpec {
  FabricSpec fabric;
  bool measured = true;
  // GPUs of each host in the fabric's document order, cycled; empty: fabric.gpusPerHost each.
  std::vector<int> gpusPerHost;
};

struct PlantedCluster {
  GeneratedFabric fabric;
  std::unique_ptr<Topology> topology;
  std::unique_ptr<CostModel> cost;  // refers to *topology
  std::set<int> degradedHosts;      // what inference found (measured) or the planted ones
  std::set<int> unplacedHosts;      // degraded hosts that inference placed nowhere
};

// Errors: inference refused the fabric (fewer than two hosts).
Result<PlantedCluster> plantCluster(const PlantedClusterSpec& spec);

// The 2:1 leaf-spine of fabricKinds() (128 hosts in racks of 16) with one degraded host and no
// latency between levels, so that inference places the degraded host nowhere (a domain of its
// own at every level), and the racks' uplinks measure a little differently each.
PlantedClusterSpec unplacedDegradedHostSpec(unsigned seed);

// `topology` with each host's GPU count replaced (cycled over `gpus`, in host order).
Result<Topology> withGpuCounts(const Topology& topology, const std::vector<int>& gpus);

}  // namespace topoplan
