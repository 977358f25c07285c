#include "core/fabric_structure.h"

#include <algorithm>

namespace topoplan {

int FabricStructure::sharedLevels(const std::string& a, const std::string& b) const {
  const auto x = hostDomains.find(a), y = hostDomains.find(b);
  if (x == hostDomains.end() || y == hostDomains.end()) return 0;
  int shared = 0;
  while (shared < static_cast<int>(std::min(x->second.size(), y->second.size())) &&
         x->second[static_cast<std::size_t>(shared)] == y->second[static_cast<std::size_t>(shared)])
    ++shared;
  return shared;
}

std::vector<std::string> FabricStructure::uplinks(const std::string& a,
                                                  const std::string& b) const {
  std::vector<std::string> crossed;
  const int shared = sharedLevels(a, b);
  for (const std::string& host : {a, b}) {
    const auto it = hostDomains.find(host);
    if (it == hostDomains.end()) continue;
    for (std::size_t level = static_cast<std::size_t>(shared); level < it->second.size(); ++level)
      crossed.push_back(std::to_string(level) + ":" + it->second[level]);
  }
  return crossed;
}

}  // namespace topoplan
