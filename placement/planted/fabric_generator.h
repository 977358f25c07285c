// Measured fabrics with planted truth, for the property tests and the benchmark of inference:
// what a probe would measure on a fabric whose levels, ratios, latencies, noise, degraded hosts
// and uplinks, mis-cabled hosts and names are known.
//
// Model. Hosts sit in a hierarchy (levels coarsest first, `count` domains per parent domain,
// `hostsPerDomain` hosts per finest domain). A pair of hosts sharing s levels measures
//   bandwidth  hostGbps / (the oversubscription of every level from the finest up to the one
//              they part at), capped by a degraded host's or uplink's figure, x uniform noise
//   latency    baseUs + 2 x the hop latencies of the levels below the ones they share, x noise
// Each figure comes with a sample spread (p10, p90 at +-sampleSpread) and `samples`. With
// `contention`, that share of the pairs that cross an oversubscribed level measured a share of
// their uplink with k = 2 to 4 pairs on it, as pairs in a probe's concurrent round do: between
// 1/k and all of it (uniform), as the simulated cluster's rounds measure (0.32 to 1.0 of the
// pair alone at k = 2 and 3). Mis-cabled hosts sit in
// one finest domain and are declared in another. Shuffled names give hosts and domains random
// names and the hosts a random order, so no name tells the structure.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

struct GeneratedLevel {
  std::string name;
  int count = 2;                // domains per parent domain
  double oversubscription = 1;  // pairs that part at this level measure this much less
  double hopLatencyUs = 0.5;    // added per direction to pairs that part at or above it
};

struct FabricSpec {
  std::vector<GeneratedLevel> levels;  // coarsest first
  int hostsPerDomain = 8;
  int gpusPerHost = 8;
  double hostGbps = 25;
  double baseLatencyUs = 2;
  double noise = 0.05;         // uniform, +-, on each pair's bandwidth
  double latencyNoise = 0.05;  // uniform, +-, on each pair's latency
  double sampleSpread = 0.03;  // each pair's p10 and p90 around its median
  std::uint64_t samples = 10;
  int degradedHosts = 0;
  double degradedFactor = 0.1;  // a degraded host's bandwidth, as a share of hostGbps
  int degradedUplinks = 0;      // finest domains whose uplink is degraded
  double degradedUplinkFactor = 0.25;
  int misCabledHosts = 0;
  double contention = 0;  // share of pairs across oversubscribed levels measured shared
  bool shuffleNames = false;
  unsigned seed = 1;
};

struct GeneratedFabric {
  std::vector<std::string> hosts;      // document order
  std::vector<PairMeasurement> pairs;  // every pair once (or those asked for)
  std::vector<HostPath> truth;         // where each host really sits (labels coarsest first)
  std::vector<HostPath> declared;      // where the declared topology says (mis-cabling)
  std::vector<std::string> levelNames;
  std::set<std::string> degradedHosts, misCabledHosts;
  std::set<std::string> degradedUplinks;  // finest domains (paths) behind a degraded uplink
  // The truth the cost model should recover: each healthy host's link, each domain's uplink
  // (by path), the latency of pairs sharing s levels (index s).
  std::map<std::string, double> hostGbps;
  std::map<std::string, double> uplinkGbps;
  std::vector<double> latencyUsByShared;
};

// Every pair, or (onlyPairs) the given pairs of host indices in truth order.
GeneratedFabric generateFabric(const FabricSpec& spec,
                               const std::vector<std::pair<int, int>>* onlyPairs = nullptr);

// The truth as a topology (physical or declared paths) and the cost model of the truth.
Result<Topology> truthTopology(const GeneratedFabric& fabric, bool declared = false);
void applyTruthFigures(const GeneratedFabric& fabric, const Topology& topology, CostModel& cost);

}  // namespace topoplan
