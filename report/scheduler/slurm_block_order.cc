#include "report/scheduler/slurm_block_order.h"

#include <algorithm>

namespace topoplan {
namespace {

std::size_t powerOfTwoAtLeast(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p *= 2;
  return p;
}

std::vector<int> childrenInRuns(const Topology& topology, const std::vector<int>& children,
                                int blockLevel);

std::vector<int> domainRun(const Topology& topology, int domain, int blockLevel) {
  const Domain& d = topology.domains()[static_cast<std::size_t>(domain)];
  if (d.level == blockLevel) return {domain};
  return childrenInRuns(topology, d.children, blockLevel);
}

std::vector<int> childrenInRuns(const Topology& topology, const std::vector<int>& children,
                                int blockLevel) {
  std::vector<std::vector<int>> runs;
  for (int child : children) {
    std::vector<int> run = domainRun(topology, child, blockLevel);
    run.resize(powerOfTwoAtLeast(run.size()), -1);
    runs.push_back(std::move(run));
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  std::vector<int> out;
  for (const auto& run : runs) out.insert(out.end(), run.begin(), run.end());
  return out;
}

}  // namespace

std::vector<int> alignedBlockOrder(const Topology& topology, int blockLevel) {
  std::vector<int> order = blockLevel == 0
                               ? topology.domainsAt(0)
                               : childrenInRuns(topology, topology.domainsAt(0), blockLevel);
  while (!order.empty() && order.back() < 0) order.pop_back();
  return order;
}

}  // namespace topoplan
