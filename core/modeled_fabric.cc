#include "core/modeled_fabric.h"

#include <algorithm>

namespace topoplan {

int ModeledFabric::levels() const {
  return hosts.empty() ? 0 : static_cast<int>(hosts.front().domains.size());
}

int ModeledFabric::sharedLevels(std::size_t a, std::size_t b) const {
  const auto& x = hosts[a].domains;
  const auto& y = hosts[b].domains;
  int shared = 0;
  while (static_cast<std::size_t>(shared) < x.size() &&
         x[static_cast<std::size_t>(shared)] == y[static_cast<std::size_t>(shared)])
    ++shared;
  return shared;
}

std::string ModeledFabric::domainPath(std::size_t h, int level) const {
  std::string path;
  for (int l = 0; l <= level; ++l)
    path += (l ? "/" : "") + hosts[h].domains[static_cast<std::size_t>(l)];
  return path;
}

ModeledFabric::PairClass ModeledFabric::pairTruth(std::size_t a, std::size_t b) const {
  const int shared = sharedLevels(a, b);
  PairClass truth = pairs[static_cast<std::size_t>(shared)];
  for (std::size_t h : {a, b}) {
    if (const auto it = slowHosts.find(hosts[h].name); it != slowHosts.end())
      truth.bandwidthGbps = std::min(truth.bandwidthGbps, it->second);
    for (int level = shared; level < levels(); ++level) {
      if (const auto it = slowUplinks.find(domainPath(h, level)); it != slowUplinks.end())
        truth.bandwidthGbps = std::min(truth.bandwidthGbps, it->second);
    }
  }
  const auto key = std::minmax(hosts[a].name, hosts[b].name);
  if (const auto it = slowLinks.find({key.first, key.second}); it != slowLinks.end())
    truth.bandwidthGbps = std::min(truth.bandwidthGbps, it->second);
  return truth;
}

}  // namespace topoplan
