#include "probes/contention.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>

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

Result<std::vector<DomainRing>> runRingRounds(Comm& comm, const std::vector<std::string>& rankHosts,
                                              const FabricStructure& structure,
                                              const ProbeConfig& config) {
  // The rings: each finest domain's hosts (their first ranks), in order of first rank.
  std::map<std::string, int> firstRank;
  std::map<std::string, std::vector<std::string>> members;
  std::vector<std::string> order;
  for (std::size_t r = 0; r < rankHosts.size(); ++r) {
    const std::string& host = rankHosts[r];
    if (!firstRank.emplace(host, static_cast<int>(r)).second) continue;
    const auto it = structure.hostDomains.find(host);
    if (it == structure.hostDomains.end() || it->second.empty()) continue;
    auto& list = members[it->second.back()];
    if (list.empty()) order.push_back(it->second.back());
    list.push_back(host);
  }
  const std::uint64_t bytes = config.sizes.back();
  const int window = std::max(1, config.window);
  std::vector<DomainRing> rings;
  std::vector<std::string> ringDomains;
  for (const std::string& domain : order) {
    if (members[domain].size() >= 3) ringDomains.push_back(domain);
  }
  for (std::size_t r = 0; r < ringDomains.size(); ++r) {
    const auto& hosts = members[ringDomains[r]];
    int next = -1, previous = -1;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
      if (firstRank[hosts[i]] != comm.rank()) continue;
      next = firstRank[hosts[(i + 1) % hosts.size()]];
      previous = firstRank[hosts[(i + hosts.size() - 1) % hosts.size()]];
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
    const std::string step = config.label + " ring " + std::to_string(r + 1) + "/" +
                             std::to_string(ringDomains.size()) + " (" + ringDomains[r] + ")";
    comm.setActivity(step);
    TOPOPLAN_TRY(comm.barrier());
    double warm = 0;
    if (next >= 0) {
      auto seconds = exchange(1);
      if (!seconds) return seconds.error().context(step + ": its warm-up");
      warm = *seconds;
    }
    // The ring runs the count the slowest warm-up allows.
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
    std::vector<double> hostRates;
    for (const std::string& host : hosts)
      hostRates.push_back((*rates)[static_cast<std::size_t>(firstRank[host])]);
    rings.push_back({ringDomains[r], hosts, summarize(hostRates)});
  }
  return rings;
}

}  // namespace topoplan
