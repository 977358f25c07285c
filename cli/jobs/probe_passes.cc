#include "cli/jobs/probe_passes.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "core/document.h"
#include "probes/sampled_pairs.h"
#include "report/documents/probe_structure.h"

namespace topoplan {

namespace {

// The discovery pass: batches of centers, each measured with every host (the circle of all pairs
// would hold N^2/2 records at thousands of hosts). A center's row shows its whole finest domain
// (the pairs in the fastest class) and, class by class, the domains above; the centers of the
// next batch are hosts no center's finest domain holds yet, until every host is held, a batch
// finds no structure, or kMaxBatches.
constexpr int kMaxBatches = 8;

struct Discovered {
  FabricStructure structure;
  DiscoveryRecord record;
};

// The hosts alone in their finest domain of `structure` (every host when it has no level).
std::vector<int> unplacedHosts(const FabricStructure& structure,
                               const std::vector<std::string>& rankHosts) {
  std::map<std::string, int> finest;
  for (const auto& [host, path] : structure.hostDomains)
    if (!path.empty()) ++finest[path.back()];
  std::vector<int> alone;
  for (std::size_t r = 0; r < rankHosts.size(); ++r) {
    const auto it = structure.hostDomains.find(rankHosts[r]);
    if (it == structure.hostDomains.end() || it->second.empty() || finest[it->second.back()] < 2)
      alone.push_back(static_cast<int>(r));
  }
  return alone;
}

Result<Discovered> discover(const ProbePlan& plan, const RoundMeasurer& measure,
                            const std::vector<std::string>& rankHosts) {
  const int ranks = static_cast<int>(rankHosts.size());
  LinkProbeSetup setup;
  setup.config = plan.config;
  // A few samples of two sizes: 8 bytes for the latency classes without transfer time (a slow
  // uplink or host does not change a pair's latency), the smallest size for the bandwidth classes
  // (a fabric shaped by bandwidth alone), never skipped (8 bytes say nothing of its time).
  setup.config.sizes = {std::min<std::uint64_t>(8, plan.config.sizes.front()),
                        plan.config.sizes.front()};
  setup.config.sizes.erase(std::unique(setup.config.sizes.begin(), setup.config.sizes.end()),
                           setup.config.sizes.end());
  setup.config.skipSlowSizes = false;
  setup.config.iters = 3;
  setup.config.minIters = 1;
  setup.config.label = "discovery";
  setup.retest = false;
  setup.rankHosts = rankHosts;
  const std::size_t batch = std::max<std::size_t>(16, (rankHosts.size() + 15) / 16);
  std::mt19937 shuffle(static_cast<unsigned>(ranks));  // every rank draws the same
  std::vector<int> candidates(static_cast<std::size_t>(ranks));
  std::iota(candidates.begin(), candidates.end(), 0);
  std::set<int> centers;
  const std::vector<Round> circle = circleRounds(ranks);
  ProbeResult all;
  Discovered found;
  for (int b = 0; b < kMaxBatches && !candidates.empty(); ++b) {
    std::shuffle(candidates.begin(), candidates.end(), shuffle);
    const std::set<int> chosen(
        candidates.begin(),
        candidates.begin() + static_cast<std::ptrdiff_t>(std::min(batch, candidates.size())));
    // The circle's rounds cut down to the pairs of this batch's centers (a pair with an earlier
    // center was in that center's row): each center meets every host once, in N - 1 rounds.
    setup.firstPass.clear();
    for (const Round& round : circle) {
      Round kept;
      for (const auto& [a, b] : round) {
        const bool withA = chosen.count(a) > 0, withB = chosen.count(b) > 0;
        if ((withA || withB) && !(withA ? centers.count(b) : centers.count(a)))
          kept.emplace_back(a, b);
      }
      if (!kept.empty()) setup.firstPass.push_back(std::move(kept));
    }
    centers.insert(chosen.begin(), chosen.end());
    ProbeResult result;
    TOPOPLAN_TRY(runLinkProbe(setup, measure, result));
    all.rounds += result.rounds;
    all.links.insert(all.links.end(), std::make_move_iterator(result.links.begin()),
                     std::make_move_iterator(result.links.end()));
    found.structure = inferStructure(all, rankHosts);
    found.record.rounds = all.rounds;
    found.record.pairs = all.links.size();
    found.record.levels = static_cast<int>(found.structure.levelNames.size());
    if (found.record.levels == 0) break;
    candidates.clear();
    for (int h : unplacedHosts(found.structure, rankHosts))
      if (!centers.count(h)) candidates.push_back(h);
  }
  found.structure.source = "the structure inferred from the discovery pass (" +
                           std::to_string(found.record.levels) + " level(s))";
  return found;
}

}  // namespace

Result<std::vector<Round>> planFirstPass(const ProbePlan& plan, const ProbeOptions& options,
                                         const RoundMeasurer& measure, ProbeRun& run,
                                         std::optional<FabricStructure>& discovered, bool root) {
  const std::size_t hosts = uniqueHosts(run.rankHosts).size();
  const bool large = hosts > static_cast<std::size_t>(kAllPairsUpToHosts);
  const int ranks = static_cast<int>(run.rankHosts.size());
  std::optional<FabricStructure> sampleBy = plan.declared;
  // One rank per host: the discovery pass's centers are ranks.
  const bool discovery = options.pairs == "discover" ||
                         (options.pairs == "auto" && large && !plan.declared && !options.serial);
  if (discovery && hosts == run.rankHosts.size()) {
    auto found = discover(plan, measure, run.rankHosts);
    if (!found) return found.error();
    DiscoveryRecord& record = found->record;
    if (record.levels > 0) {
      record.outcome = "sampled the first pass within the " + std::to_string(record.levels) +
                       " level(s) it found (K = " + std::to_string(options.sampleK) + ")";
      sampleBy = found->structure;
      discovered = std::move(found->structure);
    } else {
      record.outcome = "found no structure: every pair measured";
    }
    if (root) {
      std::fprintf(stderr, "topoplan probe: discovery pass: %zu pairs in %d rounds; %s\n",
                   record.pairs, record.rounds, record.outcome.c_str());
    }
    run.discovery = record;
  } else if (discovery && root) {
    std::fprintf(stderr,
                 "topoplan probe: discovery needs one rank per host (%zu ranks on %zu hosts): "
                 "every pair measured\n",
                 run.rankHosts.size(), hosts);
  }
  const bool sampled = options.pairs == "sampled" || (options.pairs == "discover" && sampleBy) ||
                       (options.pairs == "auto" && sampleBy && large);
  if (!sampled || !sampleBy) return allPairRounds(ranks, options.serial);
  const SampledPairs pairs = sampledRounds(run.rankHosts, *sampleBy, options.sampleK);
  if (root) {
    std::fprintf(stderr, "topoplan probe: sampled mode: %zu of %zu pairs in %zu rounds (K = %d)\n",
                 pairs.pairs, pairs.allPairs, pairs.rounds.size(), options.sampleK);
  }
  return pairs.rounds;
}

LinkProbeSetup probeSetup(const ProbePlan& plan, const ProbeOptions& options,
                          const std::string& label, std::vector<Round> firstPass,
                          const std::optional<FabricStructure>& discovered, ProbeRun& run) {
  LinkProbeSetup setup;
  setup.config = plan.config;
  setup.config.label = label;
  setup.firstPass = std::move(firstPass);
  setup.retest = !options.serial;
  setup.rule = plan.rule;
  setup.rankHosts = run.rankHosts;
  setup.structure = [&plan, &run, discovered](const ProbeResult& result) {
    run.structure = plan.declared ? *plan.declared
                    : discovered  ? *discovered
                                  : inferStructure(result, run.rankHosts);
    return run.structure;
  };
  return setup;
}

}  // namespace topoplan
