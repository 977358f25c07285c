#include "probes/contention.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "core/document.h"
#include "core/units.h"

namespace topoplan {
namespace {

// Each flow streams for about this many size budgets.
constexpr double kStreamBudgets = 2;

// The message count every flow of a round runs: what the slowest rank's warm-up lets fit in
// kStreamBudgets size budgets, between 1 and iters x window (every rank gets the same count).
Result<int> countForSlowestWarmUp(Comm& comm, double warmSeconds, const ProbeConfig& config,
                                  int window) {
  auto warms = comm.allgatherValues(std::vector<double>{warmSeconds});
  if (!warms) return warms.error();
  const double slowest = *std::max_element(warms->begin(), warms->end());
  return static_cast<int>(std::clamp<double>(
      std::floor(kStreamBudgets * config.sizeBudgetSeconds / std::max(slowest, 1e-9)), 1,
      config.iters * window));
}

}  // namespace

std::vector<ContentionRound> contentionRounds(const std::vector<std::string>& rankHosts,
                                              const FabricStructure& structure) {
  std::map<std::string, int> firstRank;
  std::vector<std::string> hosts;
  for (std::size_t r = 0; r < rankHosts.size(); ++r) {
    if (firstRank.emplace(rankHosts[r], static_cast<int>(r)).second) hosts.push_back(rankHosts[r]);
  }
  std::vector<ContentionRound> rounds;
  for (std::size_t level = 0; level < structure.levelNames.size(); ++level) {
    // Domains of this level, and each domain's parent, in order of first host.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> members;
    std::map<std::string, std::string> parentOf;
    for (const std::string& host : hosts) {
      const auto it = structure.hostDomains.find(host);
      if (it == structure.hostDomains.end() || it->second.size() <= level) continue;
      const std::string& domain = it->second[level];
      if (members[domain].empty()) order.push_back(domain);
      members[domain].push_back(host);
      parentOf[domain] = level == 0 ? "" : it->second[level - 1];
    }
    for (const std::string& domain : order) {
      std::vector<std::string> outside;
      for (const auto& [other, list] : members) {
        if (other != domain && parentOf[other] == parentOf[domain])
          outside.insert(outside.end(), list.begin(), list.end());
      }
      if (outside.empty()) continue;
      ContentionRound round{domain, static_cast<int>(level), members[domain], {}};
      for (std::size_t k = 0; k < round.hosts.size() && k < outside.size(); ++k)
        round.flows.emplace_back(firstRank[round.hosts[k]], firstRank[outside[k]]);
      rounds.push_back(std::move(round));
    }
  }
  return rounds;
}

Result<std::vector<DomainAggregate>> runContention(Comm& comm,
                                                   const std::vector<ContentionRound>& rounds,
                                                   const ChannelOpener& open,
                                                   const ProbeConfig& config) {
  const std::uint64_t bytes = config.sizes.back();
  std::vector<DomainAggregate> aggregates;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const ContentionRound& round = rounds[r];
    const std::string step = config.label + " contention " + std::to_string(r + 1) + "/" +
                             std::to_string(rounds.size()) + " (" + round.domain + ")";
    comm.setActivity(step);
    int partner = -1;
    bool sender = false;
    for (const auto& [from, to] : round.flows) {
      if (from == comm.rank()) partner = to, sender = true;
      if (to == comm.rank()) partner = from;
    }
    Status ready = comm.barrier();
    if (!ready) return ready.error().context(step + ": the barrier before it");
    // A warm-up message each; then every flow the same count, the one the slowest warm-up
    // allows, so that they overlap from start to end.
    std::unique_ptr<PairChannel> channel;
    double warm = 0;
    if (partner >= 0) {
      auto opened = open(partner, sender);
      if (!opened) return opened.error().context(step);
      channel = std::move(*opened);
      auto seconds = channel->stream(bytes, 1);
      if (!seconds) return seconds.error().context(step);
      warm = *seconds;
    }
    auto counted = countForSlowestWarmUp(comm, warm, config, config.window);
    if (!counted) return counted.error().context(step);
    const int count = *counted;
    ready = comm.barrier();
    if (!ready) return ready.error().context(step);
    double seconds = 0;
    if (channel) {
      auto took = channel->stream(bytes, count);
      if (!took) return took.error().context(step);
      if (sender) seconds = *took;
    }
    auto times = comm.allgatherValues(std::vector<double>{seconds});
    if (!times) return times.error().context(step + ": gathering its times");
    // Each flow's rate over its own time; the aggregate, all the bytes over the longest time.
    std::vector<double> flows;
    double longest = 0;
    for (const auto& [from, to] : round.flows) {
      const double t = (*times)[static_cast<std::size_t>(from)];
      flows.push_back(gbps(bytes * static_cast<std::uint64_t>(count), t));
      longest = std::max(longest, t);
    }
    DomainAggregate aggregate{round.domain, round.level, round.hosts, summarize(flows), 0};
    aggregate.aggregateGbps =
        gbps(bytes * static_cast<std::uint64_t>(count) * round.flows.size(), longest);
    aggregates.push_back(std::move(aggregate));
  }
  return aggregates;
}

}  // namespace topoplan

namespace topoplan {
namespace {

constexpr int kRingTag = 207;

}  // namespace

std::vector<DomainRing> duplexGroups(
    const std::vector<std::string>& rankHosts, const FabricStructure& structure,
    const std::set<std::string>& avoid,
    const std::map<std::pair<std::string, std::string>, double>& pairGbps) {
  const std::vector<std::string> hosts = uniqueHosts(rankHosts);
  std::vector<DomainRing> groups;
  // Each finest domain's hosts in a ring.
  std::vector<std::string> order, unplaced;
  std::map<std::string, std::vector<std::string>> members;
  for (const std::string& host : hosts) {
    const auto it = structure.hostDomains.find(host);
    if (it == structure.hostDomains.end() || it->second.empty()) {
      unplaced.push_back(host);
      continue;
    }
    if (members[it->second.back()].empty()) order.push_back(it->second.back());
    members[it->second.back()].push_back(host);
  }
  for (const std::string& domain : order)
    if (members[domain].size() >= 2) groups.push_back({domain, members[domain], {}, false});
  // Hosts the structure places nowhere: in pairs by their fastest first-pass link (a ring over
  // them could cross any uplink), greedily, fastest first; one left over with its fastest partner.
  std::set<std::string> open(unplaced.begin(), unplaced.end());
  std::vector<std::pair<double, std::pair<std::string, std::string>>> byRate;
  for (const auto& [pair, gbps] : pairGbps)
    if (open.count(pair.first) > 0 && open.count(pair.second) > 0) byRate.push_back({gbps, pair});
  std::sort(byRate.begin(), byRate.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  // Pairs of hosts the first pass did not suspect first: a duplex rate measured against a slow
  // partner is the partner's, not the host's.
  const auto suspect = [&](const std::string& host) { return avoid.count(host) > 0; };
  std::set<std::string> matched;
  for (const bool withSuspects : {false, true})
    for (const auto& [gbps, pair] : byRate) {
      if (!withSuspects && (suspect(pair.first) || suspect(pair.second))) continue;
      if (matched.count(pair.first) > 0 || matched.count(pair.second) > 0) continue;
      matched.insert(pair.first);
      matched.insert(pair.second);
      groups.push_back({pair.first + " <-> " + pair.second, {pair.first, pair.second}, {}, false});
    }
  for (const std::string& host : unplaced) {
    if (matched.count(host) > 0) continue;
    // Its fastest partner the first pass did not suspect, else its fastest.
    const std::pair<std::string, std::string>* partner = nullptr;
    for (const auto& [gbps, pair] : byRate) {
      if (pair.first != host && pair.second != host) continue;
      const bool trusted = !suspect(pair.first == host ? pair.second : pair.first);
      if (partner == nullptr || trusted) partner = &pair;
      if (trusted) break;
    }
    if (partner)
      groups.push_back({partner->first + " <-> " + partner->second,
                        {partner->first, partner->second},
                        {},
                        false});
  }
  // Across each uplink: a host of each of two sibling domains, one flow each way. Siblings are
  // paired in order (the first with the second, the third with the fourth, an odd last with the
  // first), so every domain with a sibling gets a pair.
  for (std::size_t level = 0; level < structure.levelNames.size(); ++level) {
    std::vector<std::string> domains;
    std::map<std::string, std::string> parentOf, representative;
    for (const std::string& host : hosts) {
      const auto it = structure.hostDomains.find(host);
      if (it == structure.hostDomains.end() || it->second.size() <= level) continue;
      const std::string& domain = it->second[level];
      if (parentOf.count(domain) == 0) domains.push_back(domain);
      parentOf[domain] = level == 0 ? "" : it->second[level - 1];
      // The first host the first pass did not suspect, else the first.
      auto& chosen = representative[domain];
      if (chosen.empty() || (avoid.count(chosen) > 0 && avoid.count(host) == 0)) chosen = host;
    }
    std::map<std::string, std::vector<std::string>> siblings;
    std::vector<std::string> parents;
    for (const std::string& domain : domains) {
      if (siblings[parentOf[domain]].empty()) parents.push_back(parentOf[domain]);
      siblings[parentOf[domain]].push_back(domain);
    }
    for (const std::string& parent : parents) {
      const auto& list = siblings[parent];
      if (list.size() < 2) continue;
      for (std::size_t i = 0; i < list.size(); i += 2) {
        const std::string& a = list[i];
        const std::string& b = i + 1 < list.size() ? list[i + 1] : list[0];
        groups.push_back({a + " <-> " + b, {representative[a], representative[b]}, {}, true});
      }
    }
  }
  return groups;
}

Result<std::vector<DomainRing>> runRingRounds(Comm& comm, const std::vector<std::string>& rankHosts,
                                              std::vector<DomainRing> groups,
                                              const ProbeConfig& config) {
  std::map<std::string, int> firstRank;
  for (std::size_t r = 0; r < rankHosts.size(); ++r)
    firstRank.emplace(rankHosts[r], static_cast<int>(r));
  const std::uint64_t bytes = config.sizes.back();
  const int window = std::max(1, config.window);
  for (std::size_t r = 0; r < groups.size(); ++r) {
    DomainRing& group = groups[r];
    const auto& hosts = group.hosts;
    int next = -1, previous = -1;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      if (firstRank.at(hosts[i]) != comm.rank()) continue;
      next = firstRank.at(hosts[(i + 1) % hosts.size()]);
      previous = firstRank.at(hosts[(i + hosts.size() - 1) % hosts.size()]);
    }
    std::vector<std::byte> out(next >= 0 ? bytes : 0);
    std::vector<std::vector<std::byte>> in(next >= 0 ? static_cast<std::size_t>(window) : 0,
                                           std::vector<std::byte>(bytes));
    // `count` messages each way, a window at a time; the seconds it took.
    auto exchange = [&](int count) -> Result<double> {
      const auto start = std::chrono::steady_clock::now();
      for (int sent = 0; sent < count; sent += window) {
        std::vector<Request> requests;
        for (int k = 0; k < std::min(window, count - sent); ++k) {
          auto receive = comm.irecv(previous, in[static_cast<std::size_t>(k)], kRingTag);
          if (!receive) return receive.error();
          requests.push_back(*receive);
          auto send = comm.isend(next, out, kRingTag);
          if (!send) return send.error();
          requests.push_back(*send);
        }
        TOPOPLAN_TRY(comm.waitAll(requests));
      }
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const std::string step = config.label + " duplex " + std::to_string(r + 1) + "/" +
                             std::to_string(groups.size()) + " (" + group.domain + ")";
    comm.setActivity(step);
    TOPOPLAN_TRY(comm.barrier());
    double warm = 0;
    if (next >= 0) {
      auto seconds = exchange(1);
      if (!seconds) return seconds.error().context(step + ": its warm-up");
      warm = *seconds;
    }
    // The group runs the count the slowest warm-up allows.
    auto counted = countForSlowestWarmUp(comm, warm, config, window);
    if (!counted) return counted.error().context(step);
    const int count = *counted;
    TOPOPLAN_TRY(comm.barrier());
    double rate = 0;
    if (next >= 0) {
      auto seconds = exchange(count);
      if (!seconds) return seconds.error().context(step);
      rate = gbps(bytes * static_cast<std::uint64_t>(count), *seconds);
    }
    auto rates = comm.allgatherValues(std::vector<double>{rate});
    if (!rates) return rates.error().context(step + ": gathering its rates");
    for (const std::string& host : hosts)
      group.rates.push_back((*rates)[static_cast<std::size_t>(firstRank.at(host))]);
  }
  return groups;
}

}  // namespace topoplan
