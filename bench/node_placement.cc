// Which GPUs of a host: chooseGpus (placement/node) against the exhaustive optimum and two
// baselines, over planted nodes of every kind (placement/planted/node_generator.h).
//
//   build/bench/node_placement [--nodes 1000] [--seed 1]
//
// Per node: a random free state (the generator's) and a random request of 1 .. free GPUs. The
// figure is the predicted intra-host AllReduce bandwidth of the set: the bottleneck of the best
// ring through it. Compared:
//   optimum      every set of free GPUs of that size, every ring through each (exhaustive)
//   first free   the lowest free indices (what a scheduler without topology hands out)
//   best effort  NVIDIA's Kubernetes device plugin (GetPreferredAllocation with go-gpuallocator's
//                best-effort policy), as its source describes it: each pair of GPUs scores
//                points for its PCIe path (across sockets 10, same socket 20, host bridge 30,
//                several switches 40, one switch 50) plus 100 per NVLink between them (NVLinks
//                to an NVSwitch do not count: its NVSwitch handling is a TODO); a set scores the
//                sum over its pairs; the free GPUs are divided into sets of the requested size
//                in every way (padded where the size does not divide them, all padding in one
//                set), the division with the highest total wins, and of it the highest-scoring
//                set without padding. Here the PCIe path of an
//                NVLinked pair is taken from the GPUs' switches and sockets, and the NVLink count
//                from the figure (one link = 24 GB/s).
// Goals: the optimum on >= 99% of nodes; never worse than either baseline; under 1 ms per host.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

#include "placement/node/gpu_choice.h"
#include "placement/planted/node_generator.h"

namespace topoplan {
namespace {

using Set = std::vector<int>;

// Every set of `count` of `items`.
void forEachSet(const Set& items, int count, const std::function<void(const Set&)>& visit) {
  std::vector<bool> mask(items.size(), false);
  std::fill(mask.begin(), mask.begin() + count, true);
  do {
    Set set;
    for (std::size_t i = 0; i < items.size(); ++i)
      if (mask[i]) set.push_back(items[i]);
    visit(set);
  } while (std::prev_permutation(mask.begin(), mask.end()));
}

int pairScore(const NodeModel& m, int a, int b) {
  const NodeGpu &x = m.gpus[static_cast<std::size_t>(a)], &y = m.gpus[static_cast<std::size_t>(b)];
  int score = x.pcieSwitch == y.pcieSwitch ? 50 : x.socket == y.socket ? 30 : 10;
  if (m.pairPath(static_cast<std::size_t>(a), static_cast<std::size_t>(b)) == GpuPath::kNvlink)
    score += 100 * static_cast<int>(std::lround(
                       m.pairGbps(static_cast<std::size_t>(a), static_cast<std::size_t>(b)) / 24));
  return score;
}

int setScore(const NodeModel& m, const Set& set) {
  int score = 0;
  for (std::size_t i = 0; i < set.size(); ++i)
    for (std::size_t j = i + 1; j < set.size(); ++j) score += pairScore(m, set[i], set[j]);
  return score;
}

// The device plugin's best-effort choice, as described above (-1 entries pad).
Set bestEffort(const NodeModel& m, Set free, int count) {
  long padding = 0;
  while (free.size() % static_cast<std::size_t>(count) != 0) {
    free.push_back(-1);
    ++padding;
  }
  int bestTotal = -1;
  std::vector<Set> bestPartition;
  std::vector<Set> partition;
  const std::function<void(Set, int)> divide = [&](Set rest, int total) {
    if (rest.empty()) {
      if (total > bestTotal) {
        bestTotal = total;
        bestPartition = partition;
      }
      return;
    }
    // The set holding rest[0]: rest[0] with count - 1 of the others, chosen by position.
    Set positions;
    for (std::size_t i = 1; i < rest.size(); ++i) positions.push_back(static_cast<int>(i));
    forEachSet(positions, count - 1, [&](const Set& chosen) {
      Set set{rest[0]}, left;
      for (std::size_t i = 1; i < rest.size(); ++i) {
        const bool in =
            std::find(chosen.begin(), chosen.end(), static_cast<int>(i)) != chosen.end();
        (in ? set : left).push_back(rest[i]);
      }
      const long pads = std::count(set.begin(), set.end(), -1);
      if (pads != 0 && pads != padding) return;  // one set holds all the padding, or none does
      Set real;
      for (int g : set)
        if (g >= 0) real.push_back(g);
      partition.push_back(real);
      divide(left, total + setScore(m, real));
      partition.pop_back();
    });
  };
  divide(free, 0);
  Set best;
  int bestScore = -1;
  for (const Set& set : bestPartition)
    if (static_cast<int>(set.size()) == count && setScore(m, set) > bestScore) {
      bestScore = setScore(m, set);
      best = set;
    }
  return best;
}

struct Row {
  int nodes = 0, atOptimum = 0, worseThanFirst = 0, worseThanBestEffort = 0;
  int firstBelowOptimum = 0, bestEffortBelowOptimum = 0;
  double chosen = 0, optimum = 0, first = 0, effort = 0;  // sums of ring / optimum
  double meanUs = 0, maxUs = 0;
};

Row runKind(NodeKind kind, int nodes, std::mt19937_64& rng) {
  Row row;
  for (int i = 0; i < nodes; ++i) {
    const PlantedNode node = plantNode(kind, rng);
    const int count = std::uniform_int_distribution<int>(1, node.freeGpus())(rng);
    Set free;
    for (std::size_t g = 0; g < node.model.size(); ++g)
      if (!node.busy[g]) free.push_back(static_cast<int>(g));
    const auto start = std::chrono::steady_clock::now();
    const auto choice = chooseGpus(node.model, node.busy, count);
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (!choice) {
      std::fprintf(stderr, "%s\n", choice.error().message().c_str());
      continue;
    }
    if (count < 2) continue;  // one GPU: no ring to weigh
    const double optimum = optimumRingGbps(node.model, free, count);
    const double first = exhaustiveRingGbps(node.model, Set(free.begin(), free.begin() + count));
    const double effort = exhaustiveRingGbps(node.model, bestEffort(node.model, free, count));
    ++row.nodes;
    row.atOptimum += choice->ringGbps >= optimum;
    row.worseThanFirst += choice->ringGbps < first;
    row.worseThanBestEffort += choice->ringGbps < effort;
    row.firstBelowOptimum += first < 0.95 * optimum;
    row.bestEffortBelowOptimum += effort < 0.95 * optimum;
    row.chosen += choice->ringGbps / optimum;
    row.first += first / optimum;
    row.effort += effort / optimum;
    row.meanUs += us;
    row.maxUs = std::max(row.maxUs, us);
  }
  if (row.nodes > 0) row.meanUs /= row.nodes;
  return row;
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  using namespace topoplan;
  CLI::App app{"node_placement: the GPUs chosen inside a host against the optimum and baselines"};
  int nodes = 1000;
  std::uint64_t seed = 1;
  app.add_option("--nodes", nodes, "planted nodes per kind")->check(CLI::Range(1, 10000000));
  app.add_option("--seed", seed, "generator seed");
  CLI11_PARSE(app, argc, argv);
  std::mt19937_64 rng(seed);
  std::printf(
      "figure: predicted intra-host AllReduce GB/s of the set (best ring's bottleneck), as a share "
      "of the optimum; nodes asking 2 or more GPUs\n%-17s %6s %9s %8s %8s %8s %11s %11s %9s %9s\n",
      "kind", "nodes", "optimum", "chosen", "first", "effort", "<first", "<effort", "mean us",
      "max us");
  bool met = true;
  for (NodeKind kind : kNodeKinds) {
    const Row r = runKind(kind, nodes, rng);
    const double n = std::max(r.nodes, 1);
    std::printf("%-17s %6d %8.1f%% %8.3f %8.3f %8.3f %11d %11d %9.1f %9.1f\n", name(kind), r.nodes,
                100 * r.atOptimum / n, r.chosen / n, r.first / n, r.effort / n, r.worseThanFirst,
                r.worseThanBestEffort, r.meanUs, r.maxUs);
    std::printf(
        "%-17s more than 5%% below the optimum: first free on %.1f%% of nodes, best effort on "
        "%.1f%%\n",
        "", 100 * r.firstBelowOptimum / n, 100 * r.bestEffortBelowOptimum / n);
    met = met && r.atOptimum >= 0.99 * r.nodes && r.worseThanFirst == 0 &&
          r.worseThanBestEffort == 0 && r.maxUs < 1000;
  }
  std::printf("goals (optimum >= 99%%, never below a baseline, < 1 ms per host): %s\n",
              met ? "met" : "NOT met");
  return 0;
}
