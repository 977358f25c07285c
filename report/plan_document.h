// The topoplan.plan/v1 document and the plan's text rendering.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "placement/planner.h"

namespace topoplan {

nlohmann::ordered_json planDocument(const PlanInput& input, const PlanResult& result,
                                    const std::string& cluster,
                                    const std::vector<std::string>& argv);

std::string planText(const PlanInput& input, const PlanResult& result, const std::string& cluster);

}  // namespace topoplan
