#include "placement/baselines.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "placement/picker.h"
#include "placement/planner.h"

namespace topoplan {
namespace {

Placement make(const Topology& topology, const CostModel& cost, const GangRequest& request,
               const char* strategy, std::vector<int> hosts) {
  Placement placement;
  placement.strategy = strategy;
  placement.hosts = cost.ringOrder(std::move(hosts));
  placement.domain = commonDomain(topology, placement.hosts);
  placement.predicted = cost.predict(placement.hosts, request.pattern, request.bytes);
  return placement;
}

}  // namespace

std::vector<Placement> baselinePlacements(const Topology& topology, const CostModel& cost,
                                          const std::vector<char>& fits,
                                          const std::vector<int>& free, const GangRequest& request,
                                          unsigned seed) {
  const std::size_t n = static_cast<std::size_t>(request.hosts);
  std::vector<int> qualifying;
  for (std::size_t h = 0; h < fits.size(); ++h) {
    if (fits[h]) qualifying.push_back(static_cast<int>(h));
  }
  std::vector<Placement> baselines;
  if (qualifying.size() < n) return baselines;

  std::vector<int> shuffled = qualifying;
  std::mt19937 random(seed);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  baselines.push_back(make(topology, cost, request, "random",
                           {shuffled.begin(), shuffled.begin() + static_cast<long>(n)}));

  std::vector<int> spread = qualifying;
  std::stable_sort(spread.begin(), spread.end(), [&](int a, int b) {
    return free[static_cast<std::size_t>(a)] > free[static_cast<std::size_t>(b)];
  });
  baselines.push_back(make(topology, cost, request, "spread",
                           {spread.begin(), spread.begin() + static_cast<long>(n)}));

  baselines.push_back(make(topology, cost, request, "first-fit",
                           {qualifying.begin(), qualifying.begin() + static_cast<long>(n)}));

  Picker picker(topology, fits, free);
  int root = -1;
  for (int level = topology.levelCount() - 1; level >= 0 && root < 0; --level) {
    int tightest = -1;
    for (int domain : topology.domainsAt(level)) {
      const int count = picker.count(domain);
      if (count >= request.hosts && (tightest < 0 || count < picker.count(tightest))) {
        tightest = domain;
      }
    }
    root = tightest;
  }
  std::vector<int> bestFit;
  picker.pick(root, request.hosts, bestFit);
  baselines.push_back(make(topology, cost, request, "best-fit", std::move(bestFit)));
  return baselines;
}

}  // namespace topoplan
