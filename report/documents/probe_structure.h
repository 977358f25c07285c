// The fabric structure a probe judges its pairs within (core/fabric_structure.h): the levels of
// a loaded cluster (--declared), or the structure inferred from the probe's own first pass.
#pragma once

#include <string>
#include <vector>

#include "core/fabric_structure.h"
#include "core/link_record.h"
#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

FabricStructure structureOf(const Topology& topology, const std::string& source);

// Host pairs from a probe's links between hosts: each pair of hosts once, with the figures of
// its best rank pair (alone figures where the link has them).
std::vector<PairMeasurement> hostPairs(const ProbeResult& result,
                                       const std::vector<std::string>& rankHosts);

// What inference (placement/inference.h) finds in the first pass; empty with fewer than two
// hosts or when inference fails. Deterministic: every rank gets the same.
FabricStructure inferStructure(const ProbeResult& firstPass,
                               const std::vector<std::string>& rankHosts);

}  // namespace topoplan
