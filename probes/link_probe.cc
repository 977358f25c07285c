#include "probes/link_probe.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace topoplan {
namespace {

// Fixed-size record of one (pair, size) for gathering.
struct WireFigure {
  std::int32_t a, b;
  std::uint64_t bytes;
  double bw[7], lat[7];  // median, p10, p90, min, max, mean, cv
  std::uint64_t bwSamples, latSamples;
  std::int32_t window;
  std::int32_t flags;  // kBudgetLimited, kSkipped
};
constexpr std::int32_t kBudgetLimited = 1, kSkipped = 2;

void toWire(const SampleStats& s, double* out) {
  const double values[7] = {s.median, s.p10, s.p90, s.min, s.max, s.mean, s.cv};
  std::copy(values, values + 7, out);
}

SampleStats fromWire(const double* in, std::uint64_t samples) {
  return {in[0], in[1], in[2], in[3], in[4], in[5], in[6], samples};
}

Result<FiguresByPair> gatherFigures(Comm& comm, const FiguresByPair& mine) {
  std::vector<WireFigure> wire;
  for (const auto& [pair, outcome] : mine) {
    for (const SizeFigures& f : outcome.sizes) {
      WireFigure w{pair.first,
                   pair.second,
                   f.bytes,
                   {},
                   {},
                   f.bwGbps.samples,
                   f.latUs.samples,
                   f.window,
                   f.budgetLimited ? kBudgetLimited : 0};
      toWire(f.bwGbps, w.bw);
      toWire(f.latUs, w.lat);
      wire.push_back(w);
    }
    for (std::uint64_t bytes : outcome.skippedSizes)
      wire.push_back({pair.first, pair.second, bytes, {}, {}, 0, 0, 0, kSkipped});
  }
  // The bandwidth samples themselves, in the order of the figures (bwSamples of each).
  std::vector<double> samples;
  for (const auto& [pair, outcome] : mine)
    for (const SizeFigures& f : outcome.sizes)
      samples.insert(samples.end(), f.bwSamplesGbps.begin(), f.bwSamplesGbps.end());
  auto counts = comm.allgatherValues(std::vector<std::uint64_t>{wire.size(), samples.size()});
  if (!counts) return counts.error();
  std::uint64_t most = 0, mostSamples = 0;
  for (std::size_t r = 0; r + 1 < counts->size(); r += 2) {
    most = std::max(most, (*counts)[r]);
    mostSamples = std::max(mostSamples, (*counts)[r + 1]);
  }
  wire.resize(most, WireFigure{-1, -1, 0, {}, {}, 0, 0, 0, 0});
  samples.resize(mostSamples, 0.0);
  auto all = comm.allgatherValues(wire);
  if (!all) return all.error();
  auto allSamples = comm.allgatherValues(samples);
  if (!allSamples) return allSamples.error();
  FiguresByPair figures;
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const WireFigure& w = (*all)[i];
    if (i % most == 0) next = (i / most) * mostSamples;  // the first sample of that rank's
    if (w.a < 0) continue;
    PairOutcome& outcome = figures[{w.a, w.b}];
    if (w.flags & kSkipped) {
      outcome.skippedSizes.push_back(w.bytes);
      continue;
    }
    const auto first = allSamples->begin() + static_cast<std::ptrdiff_t>(next);
    next += w.bwSamples;
    outcome.sizes.push_back(
        {w.bytes, fromWire(w.bw, w.bwSamples), fromWire(w.lat, w.latSamples), w.window,
         (w.flags & kBudgetLimited) != 0,
         std::vector<double>(first, first + static_cast<std::ptrdiff_t>(w.bwSamples))});
  }
  return figures;
}

// Where `rank` stands in the round's turns of latency samples: after the initiator of the pair
// before its own, before the initiator of the pair after.
LatencyTurn turnIn(const Round& round, int rank) {
  LatencyTurn turn;
  for (std::size_t k = 0; k < round.size(); ++k) {
    if (round[k].first != rank && round[k].second != rank) continue;
    if (k > 0) turn.waitFor = std::min(round[k - 1].first, round[k - 1].second);
    if (k + 1 < round.size()) turn.passTo = std::min(round[k + 1].first, round[k + 1].second);
  }
  return turn;
}

// Measures each round (pairs at once, after a barrier) and gathers its figures into `out`.
Status measureRounds(Comm& comm, const ProbeConfig& config, const std::vector<Round>& rounds,
                     const std::string& phase, const ChannelOpener& open, FiguresByPair& out,
                     const ProbeProgress& progress) {
  const int me = comm.rank();
  const std::string label = config.label + " " + phase;
  for (std::size_t r = 0; r < rounds.size(); ++r) {
    const std::string step =
        label + " " + std::to_string(r + 1) + "/" + std::to_string(rounds.size());
    const int partner = partnerIn(rounds[r], me);
    comm.setActivity(
        step + (partner >= 0 ? ", measuring with rank " + std::to_string(partner) : ", resting"));
    Status ready = comm.barrier();
    if (!ready) return ready.error().context(step + ": the barrier before it");
    FiguresByPair mine;
    std::unique_ptr<PairChannel> channel;
    SampleStats latency;
    const std::string pair = step + ", ranks " + std::to_string(std::min(me, partner)) + " and " +
                             std::to_string(std::max(me, partner));
    if (partner >= 0) {
      auto opened = open(partner, me < partner);
      if (!opened) return opened.error().context(pair);
      channel = std::move(*opened);
      auto measured =
          measureLatency(comm, *channel, partner, me < partner, config, turnIn(rounds[r], me));
      if (!measured) return measured.error().context(pair);
      latency = *measured;
    }
    // Bandwidth only once every pair of the round has its latency.
    Status quiet = comm.barrier();
    if (!quiet) return quiet.error().context(step + ": the barrier after its latencies");
    if (partner >= 0) {
      auto outcome = measureSizes(comm, *channel, partner, me < partner, config, latency);
      if (!outcome) return outcome.error().context(pair);
      if (me < partner) mine[{me, partner}] = std::move(*outcome);
    }
    auto gathered = gatherFigures(comm, mine);
    if (!gathered) return gathered.error().context(step + ": gathering its figures");
    for (auto& [pair, outcome] : *gathered) out[pair] = std::move(outcome);
    if (progress) progress(phase, static_cast<int>(r) + 1, static_cast<int>(rounds.size()));
  }
  return okStatus();
}

// Moves gathered figures into the result's links, as their concurrent or alone figures.
void storeFigures(FiguresByPair& figures, bool alone, const ProbeConfig& config,
                  ProbeResult& result) {
  std::map<std::pair<int, int>, std::size_t> index;
  for (std::size_t i = 0; i < result.links.size(); ++i) {
    index[{result.links[i].a, result.links[i].b}] = i;
  }
  for (auto& [pair, outcome] : figures) {
    auto [at, added] = index.try_emplace(pair, result.links.size());
    if (added) result.links.push_back({pair.first, pair.second, {}, {}, {}, {}, {}});
    LinkMeasurement& link = result.links[at->second];
    std::sort(outcome.sizes.begin(), outcome.sizes.end(),
              [](const auto& x, const auto& y) { return x.bytes < y.bytes; });
    std::sort(outcome.skippedSizes.begin(), outcome.skippedSizes.end());
    (alone ? link.alone : link.concurrent) = std::move(outcome.sizes);
    if (!alone || !outcome.skippedSizes.empty() || link.skippedSizes.empty()) {
      link.skippedSizes = std::move(outcome.skippedSizes);
      link.skipReason = link.skippedSizes.empty() || link.primary().empty()
                            ? ""
                            : skipReason(link.primary().back(), link.skippedSizes, config);
    }
  }
  figures.clear();
  std::sort(result.links.begin(), result.links.end(),
            [](const auto& x, const auto& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
}

// The suspects' retest rounds: no two pairs of a round on one host or one uplink.
std::vector<Round> retestRounds(const ProbeResult& result, const std::vector<std::size_t>& retest,
                                const std::vector<std::string>& hosts,
                                const FabricStructure& structure) {
  std::map<std::string, int> ids;
  auto id = [&](const std::string& name) {
    return ids.try_emplace(name, ids.size()).first->second;
  };
  std::vector<PairToSchedule> pairs;
  for (std::size_t i : retest) {
    const LinkMeasurement& link = result.links[i];
    const std::string& a = hosts[static_cast<std::size_t>(link.a)];
    const std::string& b = hosts[static_cast<std::size_t>(link.b)];
    PairToSchedule pair{link.a, link.b, {id("host " + a), id("host " + b)}};
    for (const std::string& uplink : structure.uplinks(a, b)) pair.resources.push_back(id(uplink));
    pairs.push_back(std::move(pair));
  }
  return packRounds(pairs);
}

// Per link, the most pairs of its first-pass round that crossed one of its uplinks (1: none
// shared its uplinks, or it crosses none).
std::vector<int> contention(const ProbeResult& result, const std::vector<Round>& rounds,
                            const std::vector<std::string>& hosts,
                            const FabricStructure& structure) {
  std::map<std::pair<int, int>, int> load;
  for (const Round& round : rounds) {
    std::map<std::string, int> onUplink;
    std::vector<std::vector<std::string>> crossed;
    for (const auto& [a, b] : round) {
      crossed.push_back(structure.uplinks(hosts[static_cast<std::size_t>(a)],
                                          hosts[static_cast<std::size_t>(b)]));
      for (const std::string& uplink : crossed.back()) ++onUplink[uplink];
    }
    for (std::size_t k = 0; k < round.size(); ++k) {
      int most = 1;
      for (const std::string& uplink : crossed[k]) most = std::max(most, onUplink[uplink]);
      load[{std::min(round[k].first, round[k].second), std::max(round[k].first, round[k].second)}] =
          most;
    }
  }
  std::vector<int> perLink;
  for (const LinkMeasurement& link : result.links) {
    const auto it = load.find({link.a, link.b});
    perLink.push_back(it == load.end() ? 1 : it->second);
  }
  return perLink;
}

// For every uplink of the structure that no first-pass pair had to itself (all shared it in
// their rounds) and no retest already crosses, one pair across it (its median one, without a
// slow host) to measure
// alone, so each uplink's figure can come from a pair alone on it.
std::vector<std::size_t> uplinkSamples(const ProbeResult& result,
                                       const std::vector<std::string>& hosts,
                                       const FabricStructure& structure,
                                       const std::vector<std::size_t>& retest,
                                       const std::set<std::string>& slowHosts) {
  std::map<std::string, std::vector<std::size_t>> across;  // uplink -> links crossing it
  std::set<std::string> covered;
  std::set<std::size_t> retested(retest.begin(), retest.end());
  for (std::size_t i = 0; i < result.links.size(); ++i) {
    const LinkMeasurement& link = result.links[i];
    const std::string& a = hosts[static_cast<std::size_t>(link.a)];
    const std::string& b = hosts[static_cast<std::size_t>(link.b)];
    if (a == b || link.concurrent.empty() || slowHosts.count(a) || slowHosts.count(b)) continue;
    for (const std::string& uplink : structure.uplinks(a, b)) {
      across[uplink].push_back(i);
      if (link.contention <= 1 || retested.count(i)) covered.insert(uplink);
    }
  }
  std::vector<std::size_t> chosen;
  for (auto& [uplink, links] : across) {
    if (covered.count(uplink)) continue;
    std::sort(links.begin(), links.end(), [&](std::size_t x, std::size_t y) {
      return result.links[x].concurrent.back().bwGbps.median <
             result.links[y].concurrent.back().bwGbps.median;
    });
    const std::size_t pick = links[links.size() / 2];
    chosen.push_back(pick);
    const LinkMeasurement& link = result.links[pick];
    for (const std::string& other : structure.uplinks(hosts[static_cast<std::size_t>(link.a)],
                                                      hosts[static_cast<std::size_t>(link.b)]))
      covered.insert(other);
  }
  return chosen;
}

}  // namespace

std::vector<Round> allPairRounds(int ranks, bool serial) {
  std::vector<Round> rounds = circleRounds(ranks);
  if (!serial) return rounds;
  std::vector<Round> single;
  for (const Round& round : rounds) {
    for (const auto& pair : round) single.push_back({pair});
  }
  return single;
}

RoundMeasurer commRounds(Comm& comm, const ChannelOpener& open, const ProbeProgress& progress) {
  return [&comm, &open, progress](const ProbeConfig& config, const std::vector<Round>& rounds,
                                  const std::string& phase, FiguresByPair& out) {
    return measureRounds(comm, config, rounds, phase, open, out, progress);
  };
}

Status runLinkProbe(Comm& comm, const LinkProbeSetup& setup, const ChannelOpener& open,
                    ProbeResult& result, const ProbeProgress& progress) {
  return runLinkProbe(setup, commRounds(comm, open, progress), result);
}

Status runLinkProbe(const LinkProbeSetup& setup, const RoundMeasurer& measure,
                    ProbeResult& result) {
  const ProbeConfig& config = setup.config;
  if (config.sizes.empty() || config.iters < 1 || config.minIters < 1 ||
      config.minIters > config.iters || config.window < 1 || !(config.sizeBudgetSeconds > 0)) {
    return Error(
        "probe: expected at least one size, 1 <= --min-iters <= --iters, a window of one and a "
        "positive size budget");
  }
  result = ProbeResult{};
  result.rounds = static_cast<int>(setup.firstPass.size());
  FiguresByPair figures;
  Status measured = measure(config, setup.firstPass, "round", figures);
  storeFigures(figures, /*alone=*/false, config, result);
  if (!measured || !setup.retest) return measured;

  const FabricStructure structure = setup.structure ? setup.structure(result) : FabricStructure{};
  const std::vector<int> load = contention(result, setup.firstPass, setup.rankHosts, structure);
  for (std::size_t i = 0; i < result.links.size(); ++i) result.links[i].contention = load[i];
  const SuspectVerdict verdict =
      findSuspects(result.links, setup.rankHosts, structure, setup.rule, load);
  for (std::size_t i = 0; i < result.links.size(); ++i)
    result.links[i].suspectReason = verdict.reasons[i];
  result.suspectHosts = verdict.hosts;
  result.suspectRule = describe(setup.rule) + "; classes from " +
                       (structure.source.empty() ? "no structure (one "
                                                   "class of pairs "
                                                   "between hosts)"
                                                 : structure.source);
  std::vector<std::size_t> retest = verdict.retest;
  std::set<std::string> slowHosts;
  for (const SuspectHost& host : verdict.hosts) slowHosts.insert(host.host);
  for (std::size_t i : uplinkSamples(result, setup.rankHosts, structure, retest, slowHosts)) {
    retest.push_back(i);
    result.links[i].suspectReason =
        "the only way its uplink gets a figure from a pair that had it to itself (every pair "
        "across it shared it in its round)";
  }
  const std::vector<Round> rounds = retestRounds(result, retest, setup.rankHosts, structure);
  result.retestRounds = static_cast<int>(rounds.size());
  measured = measure(config, rounds, "retest", figures);
  storeFigures(figures, /*alone=*/true, config, result);
  return measured;
}

}  // namespace topoplan
