// Reading the measurements out of a topoplan.cluster/v1 document (the probe's output).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "placement/inference.h"

namespace topoplan {

struct ClusterMeasurements {
  std::vector<std::string> hosts;
  std::vector<PairMeasurement> pairs;  // between different hosts, every probe
};

// Uses hosts[].name and links[] {host_a, host_b, bw_gbps.median, lat_us.median}; a link with a
// size sweep, sweep[] {bytes, time_us}, uses the sweep's alpha-beta fit instead. Links within a
// host are left out. Errors name the source and field.
Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source);

}  // namespace topoplan
