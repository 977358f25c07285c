// `ibnetdiscover` dumps of an InfiniBand fabric.
//
// Leaves are the switches that channel adapters attach to; a host is the first word of its
// adapters' descriptions (SHARP aggregation nodes are not hosts). Rail-optimized hosts attach
// to several leaves, so hosts are grouped by the set of leaves they attach to (level
// "leaf-group", named after the group's first leaf and how many more it has), and leaf groups by
// the set of switches above their leaves ("spine-group"). Each host's GPU count is
// `gpusPerHost`, unknown to the fabric.
#pragma once

#include <string>
#include <string_view>

#include "placement/topology.h"

namespace topoplan {

Result<Topology> parseIbnetdiscover(std::string_view text, const std::string& source,
                                    int gpusPerHost = 8);

bool looksLikeIbnetdiscover(std::string_view text);

}  // namespace topoplan
