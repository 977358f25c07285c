// The sampled first pass for large clusters: O(N·K) pairs instead of N²/2, given the fabric's
// structure (a declared topology).
//
//   1. every pair of ranks within one host;
//   2. every pair of hosts within each finest domain, between their first ranks;
//   3. for each domain at each level (below the whole cluster), K pairs leaving it towards other
//      domains of its parent: its hosts taken in turn, the partners spread over its sibling
//      domains and over their hosts (deterministic, so every rank computes the same pairs).
// Hosts the structure does not know are treated as a domain of their own at every level.
// The pairs are packed into rounds (schedule.h) in which no rank takes part twice, no host has
// two pairs between hosts, and no uplink carries two pairs.
#pragma once

#include <string>
#include <vector>

#include "core/fabric_structure.h"
#include "probes/schedule.h"

namespace topoplan {

struct SampledPairs {
  std::vector<Round> rounds;
  std::size_t pairs = 0;
  std::size_t allPairs = 0;  // what every pair would have been, for comparison
};

SampledPairs sampledRounds(const std::vector<std::string>& rankHosts,
                           const FabricStructure& structure, int pairsPerDomain);

}  // namespace topoplan
