// planGang over generated clusters x free states x every gang size (property_generators.h):
// it returns a gang that is real (distinct hosts that exist, are available, free and have the
// GPUs asked for, inside the required level, no degraded host when they are avoided) or no gang
// with a reason that names the limiting figure; a gang whenever one domain the request allows
// holds enough eligible hosts, inside the preferred level when one can hold it; never a throw,
// an abort or a read out of bounds (the sanitizer stage runs these too).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "placement/planner.h"
#include "placement/property_generators.h"

namespace topoplan {
namespace {

using property::genCluster;
using property::genFreeState;
using property::genRequest;

bool fits(const Topology& topology, const FreeState& free, const GangRequest& request, int host) {
  const int f = free.freeGpus(topology, host);
  return free.available(host) &&
         (request.gpusPerHost > 0 ? f >= request.gpusPerHost
                                  : f == topology.hosts()[static_cast<std::size_t>(host)].gpus);
}

void checkPlacement(const Topology& topology, const FreeState& free, const GangRequest& request,
                    const Placement& p) {
  RC_ASSERT(static_cast<int>(p.hosts.size()) == request.hosts);
  std::set<int> distinct(p.hosts.begin(), p.hosts.end());
  RC_ASSERT(distinct.size() == p.hosts.size());
  for (int host : p.hosts) {
    RC_ASSERT(host >= 0);
    RC_ASSERT(host < static_cast<int>(topology.hosts().size()));
    RC_ASSERT(fits(topology, free, request, host));
  }
  RC_ASSERT(p.domain == commonDomain(topology, p.hosts));
  RC_ASSERT(std::isfinite(p.predicted.timeUs));
  RC_ASSERT(p.predicted.timeUs >= 0);
  RC_ASSERT(std::isfinite(p.predicted.busbwGbps));
  RC_ASSERT(p.predicted.busbwGbps >= 0);
}

// The most eligible hosts any domain of `level` holds (the whole cluster for -1).
int mostEligibleAt(const Topology& topology, int level, const std::vector<char>& eligible) {
  if (level < 0) return static_cast<int>(std::count(eligible.begin(), eligible.end(), 1));
  int most = 0;
  for (int d : topology.domainsAt(level)) {
    int n = 0;
    for (int host : topology.domains()[static_cast<std::size_t>(d)].hosts)
      n += eligible[static_cast<std::size_t>(host)];
    most = std::max(most, n);
  }
  return most;
}

RC_GTEST_PROP(PlannerProperty, AGangIsRealOrTheReasonNamesTheLimit, ()) {
  const PlantedCluster cluster = genCluster();
  const Topology& topology = *cluster.topology;
  const FreeState free = genFreeState(topology);
  const GangRequest request = genRequest(topology);
  PlanInput input{&topology, cluster.cost.get(), free, cluster.degradedHosts, request};
  input.randomSeed = *rc::gen::inRange(1u, 100u);
  RC_CLASSIFY(!cluster.unplacedHosts.empty(), "a degraded host placed nowhere");
  RC_CLASSIFY(request.hosts > static_cast<int>(topology.hosts().size()), "a gang too large");
  const auto result = planGang(input);
  RC_ASSERT(result.ok());

  std::vector<char> eligible(topology.hosts().size(), 0);
  for (std::size_t h = 0; h < eligible.size(); ++h) {
    const int host = static_cast<int>(h);
    eligible[h] = fits(topology, free, request, host) &&
                  !(request.avoidDegraded && cluster.degradedHosts.count(host));
  }
  RC_ASSERT(result->eligibleHosts == std::count(eligible.begin(), eligible.end(), 1));
  const bool oneCanHold = mostEligibleAt(topology, request.requireLevel, eligible) >= request.hosts;
  RC_ASSERT(result->gang.has_value() == oneCanHold);
  if (!result->gang) {
    RC_ASSERT(!result->whyNone.empty());
    RC_ASSERT(result->whyNone.find_first_of("0123456789") != std::string::npos);
    RC_ASSERT(result->alternatives.empty());
  } else {
    for (const Placement* p : {&*result->gang}) {
      checkPlacement(topology, free, request, *p);
      for (int host : p->hosts) RC_ASSERT(eligible[static_cast<std::size_t>(host)] != 0);
      if (request.requireLevel >= 0) {
        RC_ASSERT(p->domain >= 0);
        RC_ASSERT(topology.domains()[static_cast<std::size_t>(p->domain)].level >=
                  request.requireLevel);
      }
    }
    if (request.preferLevel >= 0 &&
        mostEligibleAt(topology, request.preferLevel, eligible) >= request.hosts) {
      RC_ASSERT(result->gang->domain >= 0);
      RC_ASSERT(topology.domains()[static_cast<std::size_t>(result->gang->domain)].level >=
                request.preferLevel);
    }
    RC_ASSERT(static_cast<int>(result->alternatives.size()) <= request.top);
    for (const Placement& p : result->alternatives) {
      checkPlacement(topology, free, request, p);
      RC_ASSERT(p.hosts != result->gang->hosts);
    }
  }
  // Baselines know free GPUs only: real gangs of qualifying hosts, present when enough qualify.
  int qualifying = 0;
  for (std::size_t h = 0; h < eligible.size(); ++h)
    qualifying += fits(topology, free, request, static_cast<int>(h));
  for (const Placement& p : result->baselines) checkPlacement(topology, free, request, p);
  if (qualifying >= request.hosts) RC_ASSERT(result->baselines.size() == 4u);
}

}  // namespace
}  // namespace topoplan
