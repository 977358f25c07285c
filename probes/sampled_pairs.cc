#include "probes/sampled_pairs.h"

#include <algorithm>
#include <map>
#include <set>

namespace topoplan {
namespace {

// Resource ids for packRounds: ranks, hosts and uplinks by name.
class Resources {
 public:
  int id(const std::string& name) { return ids_.try_emplace(name, ids_.size()).first->second; }

 private:
  std::map<std::string, int> ids_;
};

}  // namespace

SampledPairs sampledRounds(const std::vector<std::string>& rankHosts,
                           const FabricStructure& structure, int pairsPerDomain) {
  SampledPairs sampled;
  const std::size_t ranks = rankHosts.size();
  sampled.allPairs = ranks * (ranks - (ranks > 0 ? 1 : 0)) / 2;
  // Hosts in order of their first rank, and each host's ranks.
  std::vector<std::string> hosts;
  std::map<std::string, std::vector<int>> ranksOf;
  for (std::size_t r = 0; r < ranks; ++r) {
    auto& list = ranksOf[rankHosts[r]];
    if (list.empty()) hosts.push_back(rankHosts[r]);
    list.push_back(static_cast<int>(r));
  }
  // Each host's domain path per level; unknown hosts get one of their own.
  std::size_t levels = structure.levelNames.size();
  for (const auto& [host, path] : structure.hostDomains) levels = std::max(levels, path.size());
  auto pathOf = [&](const std::string& host) {
    const auto it = structure.hostDomains.find(host);
    if (it != structure.hostDomains.end() && it->second.size() == levels) return it->second;
    std::vector<std::string> own;
    for (std::size_t l = 0; l < levels; ++l) own.push_back("(unknown) " + host);
    return own;
  };
  FabricStructure known = structure;
  for (const std::string& host : hosts) known.hostDomains[host] = pathOf(host);

  Resources resources;
  std::set<std::pair<int, int>> chosen;
  std::vector<PairToSchedule> pairs;
  auto add = [&](int a, int b) {
    if (a > b) std::swap(a, b);
    if (a == b || !chosen.insert({a, b}).second) return;
    const std::string& hostA = rankHosts[static_cast<std::size_t>(a)];
    const std::string& hostB = rankHosts[static_cast<std::size_t>(b)];
    PairToSchedule pair{
        a,
        b,
        {resources.id("rank " + std::to_string(a)), resources.id("rank " + std::to_string(b))}};
    if (hostA != hostB) {
      pair.resources.push_back(resources.id("host " + hostA));
      pair.resources.push_back(resources.id("host " + hostB));
      for (const std::string& uplink : known.uplinks(hostA, hostB))
        pair.resources.push_back(resources.id("uplink " + uplink));
    }
    pairs.push_back(std::move(pair));
  };

  // 1. Within each host.
  for (const std::string& host : hosts) {
    const auto& list = ranksOf[host];
    for (std::size_t i = 0; i < list.size(); ++i)
      for (std::size_t j = i + 1; j < list.size(); ++j) add(list[i], list[j]);
  }
  // Domains per level, each with its hosts in order, and each domain's siblings.
  std::vector<std::map<std::string, std::vector<std::string>>> domains(levels);
  for (const std::string& host : hosts) {
    const auto path = pathOf(host);
    for (std::size_t l = 0; l < levels; ++l) domains[l][path[l]].push_back(host);
  }
  // 2. Within each finest domain (with no levels: the whole cluster is one domain).
  const auto finest = levels > 0 ? domains[levels - 1]
                                 : std::map<std::string, std::vector<std::string>>{{"", hosts}};
  for (const auto& [name, members] : finest) {
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j)
        add(ranksOf[members[i]].front(), ranksOf[members[j]].front());
  }
  // 3. K pairs leaving each domain towards its siblings.
  for (std::size_t l = 0; l < levels; ++l) {
    std::map<std::string, std::vector<std::string>> siblings;  // parent path -> domains
    for (const auto& [name, members] : domains[l]) {
      const std::string parent = l == 0 ? "" : pathOf(members.front())[l - 1];
      siblings[parent].push_back(name);
    }
    for (const auto& [parent, names] : siblings) {
      if (names.size() < 2) continue;
      for (std::size_t d = 0; d < names.size(); ++d) {
        const auto& members = domains[l][names[d]];
        for (int k = 0; k < pairsPerDomain; ++k) {
          const std::size_t other =
              (d + 1 + static_cast<std::size_t>(k) % (names.size() - 1)) % names.size();
          const auto& partners = domains[l][names[other]];
          const std::string& a = members[static_cast<std::size_t>(k) % members.size()];
          const std::string& b = partners[(d + static_cast<std::size_t>(k)) % partners.size()];
          add(ranksOf[a].front(), ranksOf[b].front());
        }
      }
    }
  }
  sampled.pairs = pairs.size();
  sampled.rounds = packRounds(pairs);
  return sampled;
}

}  // namespace topoplan
