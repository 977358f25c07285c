#include "probes/contention.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/units.h"

namespace topoplan {
namespace {

constexpr int kCountTag = 206;
// Each flow streams for about this many size budgets.
constexpr double kStreamBudgets = 2;

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
    double rate = 0;
    if (partner >= 0) {
      auto channel = open(partner, sender);
      if (!channel) return channel.error().context(step);
      // A warm-up message predicts one; then as many as fill the stream's time, in one window.
      auto warm = (*channel)->stream(bytes, 1);
      if (!warm) return warm.error().context(step);
      std::int32_t count = static_cast<std::int32_t>(std::clamp<double>(
          std::floor(kStreamBudgets * config.sizeBudgetSeconds / std::max(*warm, 1e-9)), 1,
          config.iters * config.window));
      auto control = std::as_writable_bytes(std::span(&count, 1));
      Status agreed = sender ? comm.send(partner, control, kCountTag)
                             : comm.recvQuietly(partner, control, kCountTag);
      if (!agreed) return agreed.error().context(step);
      auto seconds = (*channel)->stream(bytes, count);
      if (!seconds) return seconds.error().context(step);
      if (sender) rate = gbps(bytes * static_cast<std::uint64_t>(count), *seconds);
    }
    auto rates = comm.allgatherValues(std::vector<double>{rate});
    if (!rates) return rates.error().context(step + ": gathering its rates");
    std::vector<double> flows;
    for (const auto& [from, to] : round.flows)
      flows.push_back((*rates)[static_cast<std::size_t>(from)]);
    DomainAggregate aggregate{round.domain, round.level, round.hosts, summarize(flows), 0};
    for (double flow : flows) aggregate.aggregateGbps += flow;
    aggregates.push_back(std::move(aggregate));
  }
  return aggregates;
}

}  // namespace topoplan
