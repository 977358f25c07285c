// The gang planner: all-or-nothing placement of N hosts (each with G free GPUs) that maximizes
// predicted bus bandwidth, then keeps large domains whole.
//
// Method. Let t run over the distinct host and uplink bandwidths, highest first (a figure within
// 1% of a larger one counts as that one), and D over every
// domain (and the whole cluster). The hosts usable for (t, D) are the eligible hosts of D whose
// own link is >= t and that sit in no sub-domain of D whose uplink is < t. When at least N are
// usable, N of them are picked by best fit down the hierarchy: the tightest child that holds all
// that is still needed, else the fullest children first; at the bottom, hosts with the fewest
// free GPUs that suffice. Every such gang is predicted with the cost model. The answer has the
// highest predicted busbw; within 1% of it, the tightest domain (finest level, then fewest usable
// hosts left over, as Kueue's BestFit). Under the cost model's ring assumptions this finds the
// optimum: the optimal gang's bottleneck t* and domain D* are among the (t, D) tried, and the
// gang picked there has bottleneck >= t* and a domain no coarser than D*.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "placement/cost_model.h"
#include "placement/gang.h"
#include "placement/node/gang_gpus.h"
#include "placement/topology.h"

namespace topoplan {

struct Placement {
  std::string strategy;    // "topoplan", or a baseline's name
  std::vector<int> hosts;  // ring order
  int domain = -1;         // the smallest domain holding every host (-1: the whole cluster)
  Prediction predicted;
  int usableLeftInDomain = 0;  // usable hosts of that domain the gang leaves free
  long long freeGpusLeftInDomain = 0;
};

struct PlanInput {
  const Topology* topology = nullptr;
  const CostModel* cost = nullptr;
  FreeState free;
  std::set<int> degradedHosts;
  GangRequest request;
  unsigned randomSeed = 1;
  bool withBaselines = true;  // false: only our gang and its alternatives
  // Inside the hosts: where set, the gang's GPUs, NICs and cores on each host are chosen too.
  const NodeInventories* nodes = nullptr;
};

struct PlanResult {
  std::optional<Placement> gang;
  std::vector<Placement> alternatives;  // next best distinct gangs
  std::vector<Placement> baselines;     // random, spread, first-fit, best-fit
  std::string whyNone;                  // set when there is no gang
  std::vector<HostGpus> gangGpus;       // per host of the gang, in its order (with `nodes`)
  int eligibleHosts = 0;
  double planningMs = 0;
};

// Errors only for requests that cannot be understood (e.g. a level beyond the topology's).
Result<PlanResult> planGang(const PlanInput& input);

// The smallest domain holding every host (-1: none below the whole cluster).
int commonDomain(const Topology& topology, const std::vector<int>& hosts);

}  // namespace topoplan
