// What must hold of any plan, whatever the cluster, free state and request: the property tests
// and the planner's fuzz target judge planGang's answers with it.
//   - a gang, its alternatives and the baselines are real: as many distinct hosts as asked, each
//     one existing, available, with the GPUs asked for free (all of them for whole hosts), its
//     domain the smallest holding them, finite non-negative predictions;
//   - the gang and alternatives use eligible hosts only (no degraded host when they are avoided)
//     and stay inside one domain of the required level;
//   - there is a gang exactly when one domain that the request allows (the whole cluster when no
//     level is required) holds enough eligible hosts, inside the preferred level when a domain of
//     it can hold one; without a gang, a reason with the figure that limits it;
//   - the baselines are all there when enough hosts qualify.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "placement/planner.h"

namespace topoplan {

// The violations, in words (empty: none).
std::vector<std::string> planViolations(const PlanInput& input, const PlanResult& result);

}  // namespace topoplan
