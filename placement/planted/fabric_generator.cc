#include "placement/planted/fabric_generator.h"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

namespace topoplan {
namespace {

std::string randomName(std::mt19937& random, const char* prefix) {
  char text[16];
  std::snprintf(text, sizeof text, "%s%08x", prefix, static_cast<unsigned>(random()));
  return text;
}

int shared(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  int s = 0;
  while (s < static_cast<int>(a.size()) &&
         a[static_cast<std::size_t>(s)] == b[static_cast<std::size_t>(s)])
    ++s;
  return s;
}

std::string pathOf(const std::vector<std::string>& labels, std::size_t levels) {
  std::string path;
  for (std::size_t l = 0; l < levels; ++l) path += (l ? "/" : "") + labels[l];
  return path;
}

}  // namespace

GeneratedFabric generateFabric(const FabricSpec& spec,
                               const std::vector<std::pair<int, int>>* onlyPairs) {
  std::mt19937 random(spec.seed);
  GeneratedFabric fabric;
  const std::size_t levels = spec.levels.size();
  for (const GeneratedLevel& level : spec.levels) fabric.levelNames.push_back(level.name);

  // Domains level by level; each gets a label (its level's name and number, or a random name).
  std::vector<std::vector<std::string>> paths = {{}};  // label paths of the current level
  for (std::size_t l = 0; l < levels; ++l) {
    std::vector<std::vector<std::string>> next;
    int number = 0;
    for (const auto& parent : paths) {
      for (int c = 0; c < spec.levels[l].count; ++c) {
        auto child = parent;
        child.push_back(spec.shuffleNames ? randomName(random, "d")
                                          : spec.levels[l].name + std::to_string(++number));
        next.push_back(std::move(child));
      }
    }
    paths = std::move(next);
  }
  int number = 0;
  for (const auto& domain : paths) {
    for (int h = 0; h < spec.hostsPerDomain; ++h) {
      char name[16];
      std::snprintf(name, sizeof name, "h%04d", ++number);
      const std::string host = spec.shuffleNames ? randomName(random, "n") : std::string(name);
      fabric.truth.push_back({host, domain, spec.gpusPerHost, 0});
    }
  }
  const std::size_t n = fabric.truth.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  if (spec.shuffleNames) std::shuffle(order.begin(), order.end(), random);
  for (std::size_t i : order) fabric.hosts.push_back(fabric.truth[i].host);

  // Planted faults.
  std::vector<std::size_t> pick(n);
  std::iota(pick.begin(), pick.end(), 0);
  std::shuffle(pick.begin(), pick.end(), random);
  std::set<std::size_t> degraded, miscabled;
  for (int k = 0; k < spec.degradedHosts && static_cast<std::size_t>(k) < n; ++k)
    degraded.insert(pick[static_cast<std::size_t>(k)]);
  for (std::size_t k = 0; miscabled.size() < static_cast<std::size_t>(spec.misCabledHosts) &&
                          k < n && paths.size() > 1;
       ++k) {
    if (!degraded.count(pick[n - 1 - k])) miscabled.insert(pick[n - 1 - k]);
  }
  std::vector<std::size_t> domainPick(paths.size());
  std::iota(domainPick.begin(), domainPick.end(), 0);
  std::shuffle(domainPick.begin(), domainPick.end(), random);
  for (int k = 0;
       k < spec.degradedUplinks && static_cast<std::size_t>(k) < paths.size() && levels > 0; ++k)
    fabric.degradedUplinks.insert(pathOf(paths[domainPick[static_cast<std::size_t>(k)]], levels));
  fabric.declared = fabric.truth;
  for (std::size_t i : miscabled) {
    fabric.misCabledHosts.insert(fabric.truth[i].host);
    std::size_t other = random() % paths.size();
    while (paths[other] == fabric.truth[i].labels) other = (other + 1) % paths.size();
    fabric.declared[i].labels = paths[other];
  }
  for (std::size_t i : degraded) fabric.degradedHosts.insert(fabric.truth[i].host);

  // The truth of the cost model.
  std::vector<double> below(levels + 1, 1.0);  // oversubscription from the finest up to level l
  for (std::size_t l = levels; l-- > 0;) below[l] = below[l + 1] * spec.levels[l].oversubscription;
  fabric.latencyUsByShared.assign(levels + 1, spec.baseLatencyUs);
  for (std::size_t s = 0; s <= levels; ++s) {
    for (std::size_t l = s; l < levels; ++l)
      fabric.latencyUsByShared[s] += 2 * spec.levels[l].hopLatencyUs;
  }
  const double degradedGbps = spec.hostGbps * spec.degradedFactor;
  for (std::size_t i = 0; i < n; ++i)
    fabric.hostGbps[fabric.truth[i].host] = degraded.count(i) ? degradedGbps : spec.hostGbps;
  for (const auto& domain : paths) {
    for (std::size_t l = 0; l < levels; ++l) {
      const std::string path = pathOf(domain, l + 1);
      double gbps = spec.hostGbps / below[l];
      if (l + 1 == levels && fabric.degradedUplinks.count(path)) gbps *= spec.degradedUplinkFactor;
      fabric.uplinkGbps[path] = gbps;
    }
  }

  // The measurements.
  std::uniform_real_distribution<double> bwNoise(1 - spec.noise, 1 + spec.noise);
  std::uniform_real_distribution<double> latNoise(1 - spec.latencyNoise, 1 + spec.latencyNoise);
  std::uniform_real_distribution<double> unit(0, 1);
  auto measure = [&](std::size_t a, std::size_t b) {
    const HostPath& x = fabric.truth[a];
    const HostPath& y = fabric.truth[b];
    const int s = shared(x.labels, y.labels);
    double gbps = spec.hostGbps / below[static_cast<std::size_t>(s)];
    if (s < static_cast<int>(levels)) {
      for (const HostPath* end : {&x, &y}) {
        const std::string finest = pathOf(end->labels, levels);
        if (fabric.degradedUplinks.count(finest)) gbps = std::min(gbps, fabric.uplinkGbps[finest]);
      }
    }
    for (std::size_t end : {a, b}) {
      if (degraded.count(end)) gbps = std::min(gbps, degradedGbps);
    }
    gbps *= bwNoise(random);
    int contention = 1;
    if (below[static_cast<std::size_t>(s)] > 1 && unit(random) < spec.contention) {
      contention = 2 + static_cast<int>(random() % 3);
      // Between a fair share and the whole: concurrent pairs neither start together nor share
      // fairly in a short window.
      const double fair = 1.0 / contention;
      gbps *= fair + (1 - fair) * unit(random);
    }
    const double latency = fabric.latencyUsByShared[static_cast<std::size_t>(s)] * latNoise(random);
    PairMeasurement pair;
    pair.a = x.host;
    pair.b = y.host;
    pair.gbps = gbps;
    pair.gbpsP10 = gbps * (1 - spec.sampleSpread);
    pair.gbpsP90 = gbps * (1 + spec.sampleSpread);
    pair.latencyUs = latency;
    pair.latencyP10 = latency * (1 - spec.sampleSpread);
    pair.latencyP90 = latency * (1 + spec.sampleSpread);
    pair.samples = spec.samples;
    pair.contention = contention;
    pair.probe = "mpi";
    fabric.pairs.push_back(std::move(pair));
  };
  if (onlyPairs) {
    for (const auto& [a, b] : *onlyPairs)
      measure(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
  } else {
    fabric.pairs.reserve(n * (n - 1) / 2);
    for (std::size_t a = 0; a < n; ++a) {
      for (std::size_t b = a + 1; b < n; ++b) measure(order[a], order[b]);
    }
  }
  return fabric;
}

Result<Topology> truthTopology(const GeneratedFabric& fabric, bool declared) {
  return Topology::fromPaths(fabric.levelNames, declared ? fabric.declared : fabric.truth,
                             declared ? "the declared truth" : "the truth");
}

void applyTruthFigures(const GeneratedFabric& fabric, const Topology& topology, CostModel& cost) {
  for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
    const auto it = fabric.hostGbps.find(topology.hosts()[h].name);
    if (it != fabric.hostGbps.end()) cost.setHostGbps(static_cast<int>(h), it->second, "declared");
  }
  for (std::size_t d = 0; d < topology.domains().size(); ++d) {
    const auto it = fabric.uplinkGbps.find(topology.domains()[d].name);
    if (it != fabric.uplinkGbps.end())
      cost.setUplinkGbps(static_cast<int>(d), it->second, "declared");
  }
  cost.setLatencyByShared(fabric.latencyUsByShared, "declared");
}

}  // namespace topoplan
