// SLURM topology.conf, both plugins:
//   topology/tree:  SwitchName=s0 Nodes=tux[0-3]   /   SwitchName=s2 Switches=s[0-1]
//   topology/block: BlockName=b0 Nodes=tux[0-7]
// A tree becomes levels "tier1" (top) .. "tierN" (the switches with nodes); where leaves sit at
// different depths, a shallow leaf repeats itself down to the finest level. Errors name the file,
// line and what was expected: unknown switches, a switch under two parents, cycles, nodes under
// two switches.
#pragma once

#include <string>
#include <string_view>

#include "placement/topology.h"

namespace topoplan {

Result<Topology> parseSlurmTopology(std::string_view text, const std::string& source,
                                    int gpusPerHost = 8);

bool looksLikeSlurmTopology(std::string_view text);

}  // namespace topoplan
