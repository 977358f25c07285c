// The probe's orchestration at the sizes users run, against modeled fabrics with planted truth.
//
//   build/bench/probe_at_scale [--seeds 3] [--kinds all|small] [--write-fabric FILE]
//
// For each fabric kind and seed: a modeled fabric (probes/modeled: pair figures by the levels two
// hosts share, +-5% noise, two slow hosts, a slow rack uplink and a slow link, planted at random)
// is probed with the default options and no declared topology, as `topoplan probe --fabric`
// does (beyond 128 hosts: the discovery pass, then the sampled first pass, then the retests);
// inference then runs on what the probe measured. Printed per kind: the modeled probe time
// (median and worst over the seeds), the rounds and pairs measured (discovery + first pass and
// retests), the structure recovered exactly, planted slow hosts found, healthy hosts called
// degraded, planted slow uplinks found, and this process's time per run and peak memory.
// Goals: 1,024 hosts <= 3 min and 4,096 hosts (3 levels, racks of 32) <= 10 min of modeled probe
// time; structure exact, every slow host found, none called slow wrongly; each run < 2 min and
// < 4 GB here. --write-fabric writes the first kind's first fabric as topoplan.fabric/v1.
#include <sys/resource.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "cli/jobs/modeled_probe_job.h"
#include "core/atomic_file.h"
#include "core/stats.h"
#include "placement/planted/inference_truth.h"
#include "report/documents/cluster_document.h"
#include "report/documents/fabric_document.h"

namespace topoplan {
namespace {

struct ScaleKind {
  std::string name;
  std::vector<int> counts;              // domains per parent domain, coarsest level first
  int rack = 16;                        // hosts per finest domain
  std::vector<double> gbps, latencyUs;  // by levels shared, 0 .. counts.size()
};

const std::vector<ScaleKind>& kinds() {
  static const std::vector<ScaleKind> kKinds = {
      {"256 hosts, one switch (no structure)", {}, 256, {25}, {2}},
      {"1,024 hosts, 8 pods x 8 racks of 16, 2:1", {8, 8}, 16, {6.25, 12.5, 25}, {4, 3, 2}},
      {"1,024 hosts, 64 racks of 16, non-blocking", {64}, 16, {25, 25}, {3, 2}},
      {"4,096 hosts, 4 x 4 x 8 racks of 32, 2:1",
       {4, 4, 8},
       32,
       {3.125, 6.25, 12.5, 25},
       {5, 4, 3, 2}}};
  return kKinds;
}

// The modeled fabric of `kind` with its faults planted by `seed`, and the truth to score by.
ModeledFabric plant(const ScaleKind& kind, unsigned seed, GeneratedFabric& truth) {
  ModeledFabric fabric;
  fabric.noisePct = 5;
  fabric.seed = seed;
  for (std::size_t s = 0; s < kind.gbps.size(); ++s)
    fabric.pairs.push_back({kind.gbps[s], kind.latencyUs[s]});
  std::vector<int> at(kind.counts.size(), 0);  // the current domain index per level
  int domains = 1;
  for (int c : kind.counts) domains *= c;
  for (int d = 0; d < domains; ++d) {
    int rest = d;
    for (std::size_t l = kind.counts.size(); l-- > 0;) {
      at[l] = rest % kind.counts[l];
      rest /= kind.counts[l];
    }
    for (int h = 0; h < kind.rack; ++h) {
      ModeledFabric::Host host{"h" + std::to_string(fabric.hosts.size()), {}};
      for (std::size_t l = 0; l < at.size(); ++l)
        host.domains.push_back("l" + std::to_string(l) + "d" + std::to_string(at[l]));
      truth.hosts.push_back(host.name);
      truth.truth.push_back({host.name, host.domains, 8, 0});
      fabric.hosts.push_back(std::move(host));
    }
  }
  for (std::size_t l = 0; l < kind.counts.size(); ++l)
    truth.levelNames.push_back("level-" + std::to_string(l + 1));
  std::mt19937 random(seed);
  auto anyHost = [&] { return random() % fabric.hosts.size(); };
  while (fabric.slowHosts.size() < 2) {
    const std::string& name = fabric.hosts[anyHost()].name;
    fabric.slowHosts[name] = kind.gbps.back() * 0.05;
    truth.degradedHosts.insert(name);
  }
  if (!kind.counts.empty()) {
    const std::size_t h = anyHost();
    const std::string rack = fabric.domainPath(h, static_cast<int>(kind.counts.size()) - 1);
    fabric.slowUplinks[rack] = kind.gbps[kind.gbps.size() - 2] * 0.25;
    truth.degradedUplinks.insert(rack);
  }
  const auto a = fabric.hosts[anyHost()].name, b = fabric.hosts[anyHost()].name;
  if (a != b) fabric.slowLinks[std::minmax(a, b)] = kind.gbps.front() * 0.1;
  return fabric;
}

double peakMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;
}

void run(const std::vector<ScaleKind>& list, int seeds) {
  std::printf("%-44s %16s %8s %16s %6s %8s %9s %8s %8s %8s\n", "fabric kind", "modeled min",
              "rounds", "pairs", "exact", "slow", "healthy->", "uplinks", "run s", "peak MB");
  std::printf("%-44s %16s %8s %16s %6s %8s %9s %8s %8s %8s\n", "", "median / worst", "",
              "disc. + probe", "", "found", "slow", "found", "worst", "");
  ProbeOptions options;  // the defaults: --pairs auto, no --declared
  ProbePlan plan;
  plan.paths = {"mpi"};
  for (const ScaleKind& kind : list) {
    std::vector<double> minutes, runSeconds;
    int exact = 0, found = 0, planted = 0, wrong = 0, uplinks = 0, uplinksPlanted = 0;
    long rounds = 0, discoveryPairs = 0, probePairs = 0;
    std::string firstMiss;
    for (int seed = 1; seed <= seeds; ++seed) {
      GeneratedFabric truth;
      const ModeledFabric fabric = plant(kind, static_cast<unsigned>(seed), truth);
      ProbeRun probe;
      std::vector<ProbedPath> probed;
      const auto start = std::chrono::steady_clock::now();
      Status status = runModeledProbeJob(fabric, plan, options, probe, probed, false);
      if (!status) {
        std::printf("%s seed %d: %s\n", kind.name.c_str(), seed, status.error().message().c_str());
        continue;
      }
      // What `topo` reads: the document's links (latency from each pair's sweep fit).
      auto read = readClusterText(clusterDocumentText(probe, probed), kind.name);
      if (!read) {
        std::printf("%s seed %d: %s\n", kind.name.c_str(), seed, read.error().message().c_str());
        continue;
      }
      truth.pairs = std::move(read->pairs);
      const TruthScore score = scoreInference(truth, std::max(2, kind.rack / 2));
      runSeconds.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      minutes.push_back(probe.modeledWallSeconds / 60);
      rounds += probed.front().result.rounds + probed.front().result.retestRounds +
                (probe.discovery ? probe.discovery->rounds : 0);
      discoveryPairs += probe.discovery ? static_cast<long>(probe.discovery->pairs) : 0;
      probePairs += static_cast<long>(probed.front().result.links.size());
      exact += score.exact;
      if (!score.exact && firstMiss.empty())
        firstMiss = "seed " + std::to_string(seed) + ": " + score.why;
      found += score.degradedFound;
      planted += score.degradedPlanted;
      wrong += score.healthyCalledDegraded;
      uplinks += score.uplinksFound;
      uplinksPlanted += score.uplinksPlanted;
    }
    if (minutes.empty()) continue;
    const SampleStats m = summarize(minutes);
    char modeled[32], pairs[40], slow[16], up[16];
    std::snprintf(modeled, sizeof modeled, "%.1f / %.1f", m.median, m.max);
    std::snprintf(pairs, sizeof pairs, "%ld + %ld", discoveryPairs / seeds, probePairs / seeds);
    std::snprintf(slow, sizeof slow, "%d/%d", found, planted);
    std::snprintf(up, sizeof up, "%d/%d", uplinks, uplinksPlanted);
    std::printf("%-44s %16s %8ld %16s %5.0f%% %8s %9d %8s %8.1f %8.0f\n", kind.name.c_str(),
                modeled, rounds / seeds, pairs, 100.0 * exact / seeds, slow, wrong, up,
                *std::max_element(runSeconds.begin(), runSeconds.end()), peakMb());
    if (!firstMiss.empty()) std::printf("  first not exact: %s\n", firstMiss.c_str());
  }
  std::printf(
      "(rounds and pairs: the mean per seed; modeled min: the probe's time on the "
      "fabric; run s: this process per run)\n");
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  CLI::App app{"the probe's orchestration against modeled fabrics of 256 to 4,096 hosts"};
  int seeds = 3;
  std::string which = "all", fabricOut;
  app.add_option("--seeds", seeds, "fabrics per kind")->check(CLI::Range(1, 1000));
  app.add_option("--kinds", which, "all, or small (the kinds up to 1,024 hosts)")
      ->check(CLI::IsMember({"all", "small"}));
  app.add_option("--write-fabric", fabricOut,
                 "write the first kind with structure (seed 1) as topoplan.fabric/v1, and exit");
  CLI11_PARSE(app, argc, argv);
  using namespace topoplan;
  if (!fabricOut.empty()) {
    GeneratedFabric truth;
    const ModeledFabric fabric = plant(kinds()[1], 1, truth);
    Status written = writeFileAtomic(fabricOut, fabricDocument(fabric).dump(1) + "\n");
    if (!written) {
      std::fprintf(stderr, "%s\n", written.error().message().c_str());
      return 2;
    }
    return 0;
  }
  std::vector<ScaleKind> list;
  for (const ScaleKind& kind : kinds()) {
    if (which == "all" || kind.name.find("4,096") == std::string::npos) list.push_back(kind);
  }
  run(list, seeds);
  return 0;
}
