#include "placement/picker.h"

#include <algorithm>

namespace topoplan {

Picker::Picker(const Topology& topology, const std::vector<char>& usable,
               const std::vector<int>& free)
    : topology_(topology), usable_(usable), free_(free) {
  for (std::size_t i = 0; i < topology.hosts().size(); ++i) all_.push_back(static_cast<int>(i));
}

int Picker::count(int domain) const {
  int n = 0;
  for (int host : hostsOf(domain)) n += usable_[static_cast<std::size_t>(host)];
  return n;
}

void Picker::pick(int domain, int need, std::vector<int>& out) const {
  const std::vector<int> children = childrenOf(domain);
  if (children.empty()) {
    std::vector<int> candidates;
    for (int host : hostsOf(domain)) {
      if (usable_[static_cast<std::size_t>(host)]) candidates.push_back(host);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
      return free_[static_cast<std::size_t>(a)] < free_[static_cast<std::size_t>(b)];
    });
    out.insert(out.end(), candidates.begin(), candidates.begin() + need);
    return;
  }
  std::vector<std::pair<int, int>> counts;  // (usable hosts, child), fullest first
  for (int child : children) {
    const int n = count(child);
    if (n > 0) counts.emplace_back(n, child);
  }
  std::stable_sort(counts.begin(), counts.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t next = 0; need > 0 && next < counts.size();) {
    // The tightest remaining child that holds everything still needed...
    std::size_t best = counts.size();
    for (std::size_t i = next; i < counts.size(); ++i) {
      if (counts[i].first >= need) best = i;  // fullest first: the last that fits is tightest
    }
    if (best < counts.size()) {
      pick(counts[best].second, need, out);
      return;
    }
    // ...else the fullest remaining one, whole.
    pick(counts[next].second, counts[next].first, out);
    need -= counts[next].first;
    ++next;
  }
}

const std::vector<int>& Picker::hostsOf(int domain) const {
  return domain < 0 ? all_ : topology_.domains()[static_cast<std::size_t>(domain)].hosts;
}

std::vector<int> Picker::childrenOf(int domain) const {
  if (domain >= 0) return topology_.domains()[static_cast<std::size_t>(domain)].children;
  return topology_.levelCount() > 0 ? topology_.topDomains() : std::vector<int>{};
}

}  // namespace topoplan
