// planGang over generated clusters x free states x every gang size (property_generators.h):
// whatever the cluster, free state and request, every rule of plan_checks.h holds, and nothing
// throws, aborts or reads out of bounds (the sanitizer stage runs these too).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "placement/planner.h"
#include "placement/planted/plan_checks.h"
#include "placement/planted/property_generators.h"

namespace topoplan {
namespace {

RC_GTEST_PROP(PlannerProperty, AGangIsRealOrTheReasonNamesTheLimit, ()) {
  const PlantedCluster cluster = property::genCluster();
  const Topology& topology = *cluster.topology;
  PlanInput input{&topology, cluster.cost.get(), property::genFreeState(topology),
                  cluster.degradedHosts, property::genRequest(topology)};
  input.randomSeed = *rc::gen::inRange(1u, 100u);
  RC_CLASSIFY(!cluster.unplacedHosts.empty(), "a degraded host placed nowhere");
  RC_CLASSIFY(input.request.hosts > static_cast<int>(topology.hosts().size()), "a gang too large");
  const auto result = planGang(input);
  RC_ASSERT(result.ok());
  const std::vector<std::string> violations = planViolations(input, *result);
  for (const std::string& v : violations) RC_LOG() << v << "\n";
  RC_ASSERT(violations.empty());
}

}  // namespace
}  // namespace topoplan
