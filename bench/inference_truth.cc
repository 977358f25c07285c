// Inference against planted truth, and inference at scale.
//
//   build/bench/inference_truth [--seeds 50] [--topoplan build/topoplan] [--scale]
//                               [--scale-seeds 10]
//
// Recovery: for each fabric kind (placement/inference_truth.h) over --seeds generated fabrics:
// levels recovered exactly, planted degraded hosts found, healthy hosts called degraded (goal: 0),
// degraded hosts placed where they do not sit, gangs that fit one rack kept in one, and the
// gang's predicted busbw against the prediction of the planted figures (median and worst error).
// Goal: exact recovery in >= 95% of the seeds of every kind, no healthy host called degraded.
//
// --scale: the same scores for the kinds of 128 to 2,048 hosts, all pairs (scaleKinds: racks of 4
// to 64, a rack's pairs as few as 0.15% of all) over --scale-seeds fabrics; then writes probe
// documents of an all-pairs 1,024-host fabric (523,776 links) and of a
// sampled 4,096-host one (every pair inside each leaf, 2 pairs leaving each domain), then runs
// `topoplan topo` and `topoplan place` on each as a new process and prints the file size, the
// wall time and the peak memory of each, and place's planning time. Goals: topo under 10 s and
// 1.5 GB on the 1,024-host document, under 10 s on the sampled 4,096; planning under 100 ms.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/fabric_structure.h"
#include "core/stats.h"
#include "placement/planted/inference_truth.h"
#include "probes/sampled_pairs.h"
#include "report/documents/cluster_document.h"

namespace topoplan {
namespace {

void recovery(const std::vector<FabricKind>& kinds, int seeds) {
  std::printf("%-40s %6s %9s %9s %9s %9s %9s %8s %14s\n", "fabric kind", "exact", "degraded",
              "healthy->", "misplaced", "uplinks", "gang in", "levels", "busbw error %");
  std::printf("%-40s %6s %9s %9s %9s %9s %9s %8s %14s\n", "", "", "found", "degraded", "", "found",
              "1 rack", "found", "median / worst");
  for (const FabricKind& kind : kinds) {
    int exact = 0, planted = 0, found = 0, wrong = 0, misplaced = 0, inOne = 0;
    int uplinksPlanted = 0, uplinksFound = 0;
    std::vector<double> errors;
    std::vector<int> levelCounts;
    std::string firstMiss;  // the first seed not recovered exactly, and why
    for (int seed = 1; seed <= seeds; ++seed) {
      const FabricSpec spec = kind.spec(static_cast<unsigned>(seed));
      const TruthScore score =
          scoreInference(generateFabric(spec), std::max(2, spec.hostsPerDomain / 2));
      exact += score.exact;
      if (!score.exact && firstMiss.empty())
        firstMiss = "seed " + std::to_string(seed) + ": " + score.why;
      planted += score.degradedPlanted;
      found += score.degradedFound;
      wrong += score.healthyCalledDegraded;
      misplaced += score.degradedMisplaced;
      uplinksPlanted += score.uplinksPlanted;
      uplinksFound += score.uplinksFound;
      inOne += score.gangInOneRack;
      errors.push_back(score.predictionErrorPct);
      levelCounts.push_back(score.levelsFound);
    }
    const SampleStats error = summarize(errors);
    char degraded[32], uplinks[32], levels[32];
    std::snprintf(degraded, sizeof degraded, "%d/%d", found, planted);
    std::snprintf(uplinks, sizeof uplinks, "%d/%d", uplinksFound, uplinksPlanted);
    std::snprintf(levels, sizeof levels, "%d (%d)",
                  *std::min_element(levelCounts.begin(), levelCounts.end()), kind.levels);
    std::printf("%-40s %5.0f%% %9s %9d %9d %9s %8.0f%% %8s %6.1f / %5.1f\n", kind.name.c_str(),
                100.0 * exact / seeds, degraded, wrong, misplaced, uplinks,
                kind.levels > 0 ? 100.0 * inOne / seeds : 100.0, levels, error.median, error.max);
    if (!firstMiss.empty()) std::printf("  first not exact: %s\n", firstMiss.c_str());
  }
}

struct Run {
  double seconds = 0;
  double peakMb = 0;
  int code = -1;
  std::string output;
};

// Runs `argv` as a new process: its wall time, peak resident memory and output.
Run runProcess(const std::vector<std::string>& argv) {
  Run run;
  const std::string out = std::filesystem::temp_directory_path() / "inference_truth.out";
  std::fflush(stdout);  // or the child would write what the parent buffered
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peakMb = static_cast<double>(usage.ru_maxrss) / 1024;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out);
  run.output.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(out);
  return run;
}

void scale(const std::string& topoplan) {
  const auto dir = std::filesystem::temp_directory_path() / "inference_truth";
  std::filesystem::create_directories(dir);
  struct Case {
    const char* name;
    FabricSpec spec;
    bool sampled;
  };
  FabricSpec allPairs;  // 1,024 hosts: 4 spines x 8 leaves x 32 hosts, 2:1 at the leaves
  allPairs.levels = {{"spine", 4, 1, 0.5}, {"leaf", 8, 2, 0.5}};
  allPairs.hostsPerDomain = 32;
  allPairs.noise = 0.1;
  allPairs.degradedHosts = 3;
  FabricSpec sampled = allPairs;  // 4,096 hosts: 8 spines x 16 leaves x 32 hosts
  sampled.levels = {{"spine", 8, 1, 0.5}, {"leaf", 16, 2, 0.5}};
  std::printf("\n%-34s %10s %10s %9s %9s %8s %9s %12s\n", "document", "links", "MB", "topo s",
              "topo MB", "place s", "place MB", "planning ms");
  for (const Case& c : {Case{"all pairs, 1,024 hosts", allPairs, false},
                        Case{"sampled (K=2), 4,096 hosts", sampled, true}}) {
    std::vector<std::pair<int, int>> pairs;
    if (c.sampled) {
      // The probe's own sampled pairs over the truth's structure, one rank per host.
      GeneratedFabric shape = generateFabric(c.spec, &pairs);
      FabricStructure structure;
      std::vector<std::string> rankHosts;
      std::map<std::string, int> index;
      for (std::size_t i = 0; i < shape.truth.size(); ++i) {
        const HostPath& row = shape.truth[i];
        rankHosts.push_back(row.host);
        index[row.host] = static_cast<int>(i);
        std::string path;
        for (const std::string& label : row.labels) {
          path += (path.empty() ? "" : "/") + label;
          structure.hostDomains[row.host].push_back(path);
        }
      }
      for (const Round& round : sampledRounds(rankHosts, structure, 2).rounds) {
        for (const auto& [a, b] : round) pairs.emplace_back(a, b);
      }
    }
    const GeneratedFabric fabric = generateFabric(c.spec, c.sampled ? &pairs : nullptr);
    const std::string path = dir / (c.sampled ? "sampled-4096.json" : "all-pairs-1024.json");
    (void)writeFileAtomic(path, pairsDocumentText(fabric.hosts, fabric.pairs,
                                                  {"bench/inference_truth"}, "generated"));
    const double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
    const Run topo = runProcess({topoplan, "topo", path, "--out", (dir / "topo.txt").string()});
    const Run place = runProcess({topoplan, "place", "--cluster", path, "--gang", "16", "--json",
                                  (dir / "plan.json").string()});
    double planning = -1;
    std::ifstream plan(dir / "plan.json");
    std::string text((std::istreambuf_iterator<char>(plan)), {});
    if (const auto at = text.find("\"planning_ms\": "); at != std::string::npos)
      planning = std::stod(text.substr(at + 15));
    std::printf("%-34s %10zu %10.1f %9.2f %9.0f %8.2f %9.0f %12.2f%s\n", c.name,
                fabric.pairs.size(), mb, topo.seconds, topo.peakMb, place.seconds, place.peakMb,
                planning, topo.code == 0 && place.code == 0 ? "" : "  (failed)");
  }
  if (!std::getenv("TOPOPLAN_KEEP_SCALE_DOCUMENTS")) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  CLI::App app{"inference against planted truth, and at scale"};
  int seeds = 50;
  std::string topoplan = "build/topoplan";
  int scaleSeeds = 10;
  bool scale = false;
  app.add_option("--seeds", seeds, "fabrics per kind")->check(CLI::Range(1, 100000));
  app.add_option("--scale-seeds", scaleSeeds, "fabrics per kind of 128 to 2,048 hosts (--scale)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--topoplan", topoplan, "the topoplan binary (for --scale)");
  app.add_flag("--scale", scale,
               "also the kinds of 128 to 2,048 hosts, and the 1,024-host and sampled 4,096-host "
               "documents");
  CLI11_PARSE(app, argc, argv);
  topoplan::recovery(topoplan::fabricKinds(), seeds);
  if (!scale) return 0;
  std::printf("\n");
  topoplan::recovery(topoplan::scaleKinds(), scaleSeeds);
  topoplan::scale(topoplan);
  return 0;
}
