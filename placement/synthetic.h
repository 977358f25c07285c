// Synthetic clusters from a short spec, like hwloc's synthetic topologies:
// "spine=2,leaf=8,host=16,gpu=8" (counts per parent, so 2 x 8 x 16 = 256 hosts of 8 GPUs).
// Levels are every key before `host`; `gpu` is optional (default 8). Names: host "h0001"...,
// domains "spine1", "leaf3", ... (paths "spine1/leaf3").
#pragma once

#include <string_view>

#include "placement/topology.h"

namespace topoplan {

Result<Topology> syntheticTopology(std::string_view spec);

}  // namespace topoplan
