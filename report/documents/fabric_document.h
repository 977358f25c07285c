// The topoplan.fabric/v1 document: a modeled fabric for `probe --fabric` (probes/modeled).
//
//   {"schema": "topoplan.fabric/v1",
//    "hosts": [{"name": "n1", "domains": ["pod1", "r3"]}, ...],       coarsest level first
//    "pairs": [{"shared_levels": 0, "bandwidth_gbps": 12.5, "latency_us": 3}, ...],
//    "noise_pct": 5, "seed": 1,
//    "faults": {"hosts": [{"name", "bandwidth_gbps"}],
//               "uplinks": [{"domain": "pod1/r3", "bandwidth_gbps"}],
//               "links": [{"a", "b", "bandwidth_gbps"}]}}
//
// pairs[] holds one entry for every number of shared levels from 0 to the depth of `domains`
// (hosts sharing all of them sit in one finest domain); noise_pct, seed and faults are optional.
// Errors name the source and the field.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/modeled_fabric.h"
#include "core/result.h"

namespace topoplan {

Result<ModeledFabric> readFabricDocument(const nlohmann::ordered_json& document,
                                         const std::string& source);

// The document of a fabric (what readFabricDocument reads back).
nlohmann::ordered_json fabricDocument(const ModeledFabric& fabric);

}  // namespace topoplan
