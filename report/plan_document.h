// The topoplan.plan/v1 document and the plan's text rendering.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "placement/planner.h"

namespace topoplan {

// The gang of a plan document, as hosts of `topology`, for the scheduler exports.
struct PlannedGang {
  std::vector<int> hosts;
  int gpusPerHost = 0;  // 0: whole hosts
};

// Reads a topoplan.plan/v1 file; errors name the file and field (a plan without a gang, a host
// the cluster does not have).
Result<PlannedGang> readPlannedGang(const std::string& path, const Topology& topology);

nlohmann::ordered_json planDocument(const PlanInput& input, const PlanResult& result,
                                    const std::string& cluster,
                                    const std::vector<std::string>& argv);

std::string planText(const PlanInput& input, const PlanResult& result, const std::string& cluster);

}  // namespace topoplan
