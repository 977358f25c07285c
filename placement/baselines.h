// What other schedulers would choose for the same gang, predicted with the same cost model.
// Baselines know free GPUs but not measured bandwidth or degraded hosts (neither do the
// schedulers they stand for):
//   random     N qualifying hosts at random (seeded)
//   spread     least allocated first, like the default kube-scheduler's LeastAllocated score
//   first-fit  host order, like Slurm without a topology plugin
//   best-fit   the tightest domain of the finest level that holds the gang, filled fullest
//              child first (Kueue's topology-aware BestFit); the whole cluster if none does
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "placement/cost_model.h"
#include "placement/gang.h"
#include "placement/topology.h"

namespace topoplan {

struct Placement;

// `fits[h]`: host h has the GPUs the gang needs; `free[h]`: its free GPUs. A baseline that
// cannot find N hosts is left out.
std::vector<Placement> baselinePlacements(const Topology& topology, const CostModel& cost,
                                          const std::vector<char>& fits,
                                          const std::vector<int>& free, const GangRequest& request,
                                          unsigned seed);

// One baseline by name ("random", "spread", "first-fit", "best-fit"); none when fewer than N
// hosts qualify or the name is none of these.
std::optional<Placement> baselinePlacement(std::string_view name, const Topology& topology,
                                           const CostModel& cost, const std::vector<char>& fits,
                                           const std::vector<int>& free, const GangRequest& request,
                                           unsigned seed);

// `hosts` in the cost model's ring order, its smallest common domain and its prediction, named
// `strategy` (a baseline's name, or a candidate given by name, such as a scheduler's choice).
Placement predictedPlacement(const Topology& topology, const CostModel& cost,
                             const GangRequest& request, std::string strategy,
                             std::vector<int> hosts);

// The baselines' names, in the order baselinePlacements() returns them.
inline constexpr std::string_view kBaselineNames[] = {"random", "spread", "first-fit", "best-fit"};

}  // namespace topoplan
