#include "placement/planted/inference_truth.h"

#include <cmath>
#include <map>
#include <set>

#include "placement/planner.h"

namespace topoplan {
namespace {

FabricSpec leafSpine(unsigned seed, double oversubscription) {
  FabricSpec spec;
  spec.levels = {{"spine", 2, 1, 0.5}, {"leaf", 4, oversubscription, 0.5}};
  spec.hostsPerDomain = 16;
  spec.noise = 0.10;
  spec.seed = seed;
  return spec;
}

FabricSpec twoToOne(unsigned seed) {
  return leafSpine(seed, 2);
}
FabricSpec threeToOne(unsigned seed) {
  return leafSpine(seed, 3);
}
FabricSpec nonBlocking(unsigned seed) {
  return leafSpine(seed, 1);
}

FabricSpec clos(unsigned seed) {
  FabricSpec spec;
  spec.levels = {{"pod", 2, 2, 1.0}, {"leaf", 4, 2, 0.5}};
  spec.hostsPerDomain = 16;
  spec.noise = 0.10;
  spec.seed = seed;
  return spec;
}

FabricSpec wideNoise(unsigned seed) {
  FabricSpec spec;
  spec.hostsPerDomain = 64;
  spec.noise = 0.50;
  spec.latencyNoise = 0.50;
  spec.seed = seed;
  return spec;
}

FabricSpec realistic(unsigned seed) {
  FabricSpec spec = leafSpine(seed, 2);
  spec.degradedHosts = 2;
  spec.degradedFactor = 0.05;
  spec.degradedUplinks = 1;
  spec.misCabledHosts = 2;
  spec.contention = 0.1;
  spec.shuffleNames = true;
  return spec;
}

FabricSpec simulatedCluster(unsigned seed) {
  FabricSpec spec;
  spec.levels = {{"rack", 2, 10, 10}};
  spec.hostsPerDomain = 3;
  spec.hostGbps = 0.24;
  spec.baseLatencyUs = 20;
  spec.noise = 0.3;
  spec.latencyNoise = 0.3;
  spec.sampleSpread = 0.1;
  spec.contention = 0.3;
  spec.degradedHosts = 1;
  spec.degradedFactor = 0.02;
  spec.seed = seed;
  return spec;
}

// A fabric of the size users run, all pairs measured: `levels` coarsest first, racks of `rack`
// hosts, +-5% noise, two degraded hosts and one degraded rack uplink.
FabricSpec atScale(unsigned seed, std::vector<GeneratedLevel> levels, int rack) {
  FabricSpec spec;
  spec.levels = std::move(levels);
  spec.hostsPerDomain = rack;
  spec.noise = 0.05;
  spec.latencyNoise = 0.05;
  spec.degradedHosts = 2;
  spec.degradedFactor = 0.1;
  spec.degradedUplinks = 1;
  spec.seed = seed;
  return spec;
}

FabricSpec racksOf16(unsigned seed) {  // 1,024 hosts, 2:1: inside-rack pairs 1.5% of all
  return atScale(seed, {{"leaf", 64, 2, 0.5}}, 16);
}
FabricSpec racksOf4(unsigned seed) {  // 2,048 hosts, 2:1: inside-rack pairs 0.15% of all
  return atScale(seed, {{"leaf", 512, 2, 0.5}}, 4);
}
FabricSpec racksOf64NonBlocking(unsigned seed) {  // 512 hosts, latency alone, 2 levels
  return atScale(seed, {{"pod", 2, 1, 1.0}, {"leaf", 4, 1, 0.5}}, 64);
}
FabricSpec racksOf32NonBlocking(unsigned seed) {  // 2,048 hosts, latency alone: 1.5% inside
  return atScale(seed, {{"leaf", 64, 1, 0.5}}, 32);
}
FabricSpec threeTiers(unsigned seed) {  // 1,024 hosts, 2:1 at every tier
  return atScale(seed, {{"zone", 2, 2, 1.0}, {"pod", 4, 2, 1.0}, {"leaf", 8, 2, 0.5}}, 16);
}
FabricSpec racksOf8(unsigned seed) {  // 128 hosts, 2:1: the smallest size of the issue
  return atScale(seed, {{"leaf", 16, 2, 0.5}}, 8);
}

// The partition of `hosts` by their truth labels down to `level`.
std::map<std::string, std::string> truthDomains(const GeneratedFabric& fabric, int level) {
  std::map<std::string, std::string> domain;
  for (const HostPath& row : fabric.truth) {
    std::string path;
    for (int l = 0; l <= level; ++l) path += row.labels[static_cast<std::size_t>(l)] + "/";
    domain[row.host] = path;
  }
  return domain;
}

// Whether two labellings of `hosts` make the same partition.
bool samePartition(const std::vector<std::string>& hosts,
                   const std::map<std::string, std::string>& x,
                   const std::map<std::string, int>& y) {
  std::map<std::string, int> forward;
  std::map<int, std::string> backward;
  for (const std::string& host : hosts) {
    const std::string& a = x.at(host);
    const int b = y.at(host);
    auto [f, fAdded] = forward.try_emplace(a, b);
    auto [r, rAdded] = backward.try_emplace(b, a);
    if (f->second != b || r->second != a) return false;
  }
  return true;
}

}  // namespace

const std::vector<FabricKind>& fabricKinds() {
  static const std::vector<FabricKind> kKinds = {{"2:1 leaf-spine", twoToOne, 2},
                                                 {"3:1 leaf-spine", threeToOne, 2},
                                                 {"non-blocking leaf-spine", nonBlocking, 2},
                                                 {"3-tier Clos (2:1, 2:1)", clos, 2},
                                                 {"one class, +-50% noise", wideNoise, 0},
                                                 {"realistic (faults, shuffled)", realistic, 2},
                                                 {"simulated cluster", simulatedCluster, 1}};
  return kKinds;
}

const std::vector<FabricKind>& scaleKinds() {
  static const std::vector<FabricKind> kKinds = {
      {"128 hosts, racks of 8, 2:1", racksOf8, 1},
      {"512 hosts, racks of 64, non-blocking", racksOf64NonBlocking, 2},
      {"1,024 hosts, racks of 16, 2:1", racksOf16, 1},
      {"1,024 hosts, 3 tiers, 2:1 each", threeTiers, 3},
      {"2,048 hosts, racks of 4, 2:1", racksOf4, 1},
      {"2,048 hosts, racks of 32, non-blocking", racksOf32NonBlocking, 1}};
  return kKinds;
}

TruthScore scoreInference(const GeneratedFabric& fabric, int gangHosts,
                          const InferenceOptions& options) {
  TruthScore score;
  score.degradedPlanted = static_cast<int>(fabric.degradedHosts.size());
  auto inferred = inferCluster(fabric.hosts, fabric.pairs, options, "generated");
  if (!inferred) {
    score.why = inferred.error().message();
    return score;
  }
  const Topology& topology = inferred->topology;
  score.levelsFound = topology.levelCount();
  std::set<std::string> degraded;
  for (const Finding& f : inferred->degradedHosts) {
    degraded.insert(f.subject);
    if (fabric.degradedHosts.count(f.subject))
      ++score.degradedFound;
    else
      ++score.healthyCalledDegraded;
  }
  std::vector<std::string> healthy;
  for (const HostPath& row : fabric.truth) {
    if (!fabric.degradedHosts.count(row.host)) healthy.push_back(row.host);
  }
  const int levels = static_cast<int>(fabric.levelNames.size());
  score.exact = score.levelsFound == levels;
  if (!score.exact) {
    score.why =
        std::to_string(score.levelsFound) + " levels found, " + std::to_string(levels) + " planted";
  }
  for (int l = 0; score.exact && l < levels; ++l) {
    std::map<std::string, int> found;
    for (const std::string& host : healthy) {
      found[host] = topology.hosts()[static_cast<std::size_t>(topology.hostIndex(host))]
                        .domains[static_cast<std::size_t>(l)];
    }
    if (!samePartition(healthy, truthDomains(fabric, l), found)) {
      score.exact = false;
      score.why = "level " + std::to_string(l + 1) + " differs from the planted one";
    }
  }
  // Degraded uplinks: a finding names a host of the domain behind it.
  score.uplinksPlanted = static_cast<int>(fabric.degradedUplinks.size());
  std::map<std::string, std::string> finestPath;
  for (const HostPath& row : fabric.truth) {
    std::string path;
    for (const std::string& label : row.labels) path += (path.empty() ? "" : "/") + label;
    finestPath[row.host] = path;
  }
  std::set<std::string> uplinksFound;
  for (const Finding& f : inferred->degradedUplinks) {
    const std::string prefix = "the domain of ";
    const auto it = finestPath.find(f.subject.substr(std::min(prefix.size(), f.subject.size())));
    if (it != finestPath.end() && fabric.degradedUplinks.count(it->second))
      uplinksFound.insert(it->second);
  }
  score.uplinksFound = static_cast<int>(uplinksFound.size());
  // Degraded hosts placed: with the healthy hosts of their truth finest domain, or nowhere.
  if (score.exact && levels > 0) {
    const auto finest = truthDomains(fabric, levels - 1);
    std::map<std::string, int> domainOf;  // truth finest domain -> inferred finest domain
    for (const std::string& host : healthy) {
      domainOf[finest.at(host)] =
          topology.hosts()[static_cast<std::size_t>(topology.hostIndex(host))].domains.back();
    }
    std::set<std::string> nowhere;
    for (const Finding& f : inferred->unplacedHosts) nowhere.insert(f.subject);
    for (const std::string& host : fabric.degradedHosts) {
      if (nowhere.count(host)) continue;
      const int at =
          topology.hosts()[static_cast<std::size_t>(topology.hostIndex(host))].domains.back();
      if (at != domainOf[finest.at(host)]) ++score.degradedMisplaced;
    }
  }

  // A gang on the inferred structure and figures, against the truth.
  CostModel cost(topology);
  std::vector<std::string> degradedList(degraded.begin(), degraded.end());
  applyMeasuredFigures(topology, fabric.pairs, degradedList, inferred->degradedLinkHosts, cost);
  std::set<int> avoid;
  for (const std::string& host : degraded) avoid.insert(topology.hostIndex(host));
  PlanInput input{&topology, &cost, FreeState{}, avoid, {}};
  input.request.hosts = gangHosts;
  auto plan = planGang(input);
  if (!plan || !plan->gang) return score;
  std::set<std::string> racks;
  std::vector<std::string> gang = topology.hostNames(plan->gang->hosts);
  const auto finest =
      levels > 0 ? truthDomains(fabric, levels - 1) : std::map<std::string, std::string>{};
  for (const std::string& host : gang) racks.insert(levels > 0 ? finest.at(host) : "");
  score.gangInOneRack = racks.size() == 1;
  auto truth = truthTopology(fabric);
  if (!truth) return score;
  CostModel truthCost(*truth);
  applyTruthFigures(fabric, *truth, truthCost);
  std::vector<int> truthHosts;
  for (const std::string& host : gang) truthHosts.push_back(truth->hostIndex(host));
  const Prediction actual = truthCost.predict(truthHosts, Pattern::kRing, input.request.bytes);
  score.predictionErrorPct =
      100 * std::fabs(plan->gang->predicted.busbwGbps - actual.busbwGbps) / actual.busbwGbps;
  return score;
}

}  // namespace topoplan
