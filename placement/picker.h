// Picker: best-fit choice of hosts down the hierarchy (shared by the planner and the best-fit
// baseline). The tightest child that holds everything still needed, else the fullest child
// whole, repeated; at the bottom, the usable hosts with the fewest free GPUs.
#pragma once

#include <vector>

#include "placement/topology.h"

namespace topoplan {

class Picker {
 public:
  // `usable` and `free` are per host and must outlive the Picker; `usable` may change between
  // calls.
  Picker(const Topology& topology, const std::vector<char>& usable, const std::vector<int>& free);

  // Usable hosts below `domain` (-1: the whole cluster).
  int count(int domain) const;
  // Appends `need` (<= count(domain)) usable hosts below `domain` to `out`.
  void pick(int domain, int need, std::vector<int>& out) const;
  // Every host below `domain` (-1: the whole cluster).
  const std::vector<int>& hostsOf(int domain) const;

 private:
  std::vector<int> childrenOf(int domain) const;

  const Topology& topology_;
  const std::vector<char>& usable_;
  const std::vector<int>& free_;
  std::vector<int> all_;
};

}  // namespace topoplan
