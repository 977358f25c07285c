#include "placement/baselines.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "placement/picker.h"
#include "placement/planner.h"

namespace topoplan {

Placement predictedPlacement(const Topology& topology, const CostModel& cost,
                             const GangRequest& request, std::string strategy,
                             std::vector<int> hosts) {
  Placement placement;
  placement.strategy = std::move(strategy);
  placement.hosts = cost.ringOrder(std::move(hosts));
  placement.domain = commonDomain(topology, placement.hosts);
  placement.predicted = cost.predict(placement.hosts, request.pattern, request.bytes);
  return placement;
}

std::optional<Placement> baselinePlacement(std::string_view name, const Topology& topology,
                                           const CostModel& cost, const std::vector<char>& fits,
                                           const std::vector<int>& free, const GangRequest& request,
                                           unsigned seed) {
  const std::size_t n = static_cast<std::size_t>(request.hosts);
  std::vector<int> qualifying;
  for (std::size_t h = 0; h < fits.size(); ++h) {
    if (fits[h]) qualifying.push_back(static_cast<int>(h));
  }
  if (qualifying.size() < n) return std::nullopt;
  const auto firstN = [&](const std::vector<int>& hosts) {
    return std::vector<int>(hosts.begin(), hosts.begin() + static_cast<long>(n));
  };
  if (name == "random") {
    std::mt19937 random(seed);
    std::shuffle(qualifying.begin(), qualifying.end(), random);
    return predictedPlacement(topology, cost, request, "random", firstN(qualifying));
  }
  if (name == "spread") {  // most free GPUs first, ties in host order
    std::partial_sort(qualifying.begin(), qualifying.begin() + static_cast<long>(n),
                      qualifying.end(), [&](int a, int b) {
                        const int fa = free[static_cast<std::size_t>(a)];
                        const int fb = free[static_cast<std::size_t>(b)];
                        return fa != fb ? fa > fb : a < b;
                      });
    return predictedPlacement(topology, cost, request, "spread", firstN(qualifying));
  }
  if (name == "first-fit")
    return predictedPlacement(topology, cost, request, "first-fit", firstN(qualifying));
  if (name != "best-fit") return std::nullopt;
  Picker picker(topology, fits, free);
  int root = -1;
  for (int level = topology.levelCount() - 1; level >= 0 && root < 0; --level) {
    int tightest = -1, tightestCount = 0;
    for (int domain : topology.domainsAt(level)) {
      const int count = picker.count(domain);
      if (count >= request.hosts && (tightest < 0 || count < tightestCount)) {
        tightest = domain;
        tightestCount = count;
      }
    }
    root = tightest;
  }
  std::vector<int> bestFit;
  picker.pick(root, request.hosts, bestFit);
  return predictedPlacement(topology, cost, request, "best-fit", std::move(bestFit));
}

std::vector<Placement> baselinePlacements(const Topology& topology, const CostModel& cost,
                                          const std::vector<char>& fits,
                                          const std::vector<int>& free, const GangRequest& request,
                                          unsigned seed) {
  std::vector<Placement> baselines;
  for (std::string_view name : kBaselineNames) {
    if (auto placement = baselinePlacement(name, topology, cost, fits, free, request, seed))
      baselines.push_back(std::move(*placement));
  }
  return baselines;
}

}  // namespace topoplan
