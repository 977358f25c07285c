// Hierarchy CSV: a header row, then one row per host: the host name, then one column per level
// from coarsest to finest (e.g. "ip,DSW,PSW,ASW"). An optional last column named "gpus" gives
// each host's GPU count; otherwise every host has `defaultGpus`.
#pragma once

#include <string>
#include <string_view>

#include "placement/topology.h"

namespace topoplan {

Result<Topology> parseHierarchyCsv(std::string_view text, const std::string& source,
                                   int defaultGpus = 8);

// True when `text` looks like a hierarchy CSV (for format recognition).
bool looksLikeHierarchyCsv(std::string_view text);

}  // namespace topoplan
