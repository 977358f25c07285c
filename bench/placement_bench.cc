// Planner speed (Google Benchmark) and plan quality against the baselines.
//
//   build/bench/placement_bench [--benchmark_min_time=1]
//
// Speed: a synthetic fat tree of 4,096 hosts x 8 GPUs (16 spines x 16 leaves x 16 hosts) with half
// of all GPUs busy at random and a gang of 64 hosts x 4 GPUs (goal: median < 50 ms); the real
// 847-host Clos (tests/data) with the same busy pattern and a gang of 16 x 4 (goal: < 10 ms).
// Quality: 500 random fragmented states of the Clos (20-80% of GPUs busy, gangs of 4-32 hosts x
// 1-8 GPUs), predicted ring busbw of our gang over each baseline's: median and worst. The Clos is
// declared 2:1 oversubscribed at each tier above the ToR (ASW uplink 50 GB/s, PSW 25 GB/s).
// Goal: >= 1.3x over spread on the median.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "core/stats.h"
#include "placement/hierarchy_csv.h"
#include "placement/planner.h"
#include "placement/synthetic.h"
#include "tests/test_data.h"

namespace topoplan {
namespace {

Topology loadClos() {
  return *parseHierarchyCsv(readTestData("clusters/alibaba-lingjun-2023-topo.csv"), "lingjun.csv");
}

// Each GPU busy with probability `busy`.
FreeState randomFree(const Topology& topology, double busy, std::mt19937& random) {
  std::bernoulli_distribution isBusy(busy);
  std::map<std::string, int> free;
  for (const Host& host : topology.hosts()) {
    int count = 0;
    for (int g = 0; g < host.gpus; ++g) count += !isBusy(random);
    free[host.name] = count;
  }
  return *FreeState::fromMap(topology, free, "bench");
}

void declareOversubscribedClos(const Topology& topology, CostModel& cost) {
  for (int d : topology.domainsAt(2)) cost.setUplinkGbps(d, 50, "declared");  // ASW
  for (int d : topology.domainsAt(1)) cost.setUplinkGbps(d, 25, "declared");  // PSW
}

void runPlan(benchmark::State& state, const Topology& topology, const CostModel& cost, int hosts,
             int gpus) {
  std::mt19937 random(11);
  PlanInput input{&topology, &cost, randomFree(topology, 0.5, random), {}, {}};
  input.request.hosts = hosts;
  input.request.gpusPerHost = gpus;
  for (auto _ : state) {
    auto result = planGang(input);
    if (!result.ok() || !result->gang) state.SkipWithError("no gang");
    benchmark::DoNotOptimize(result);
  }
}

void BM_PlanFatTree4096(benchmark::State& state) {
  static const Topology topology = *syntheticTopology("spine=16,leaf=16,host=16,gpu=8");
  static const CostModel cost(topology);
  runPlan(state, topology, cost, 64, 4);
}

void BM_PlanClos847(benchmark::State& state) {
  static const Topology topology = loadClos();
  static const CostModel cost = [] {
    CostModel c(topology);
    declareOversubscribedClos(topology, c);
    return c;
  }();
  runPlan(state, topology, cost, 16, 4);
}

BENCHMARK(BM_PlanFatTree4096)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(BM_PlanClos847)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// Prints the quality table; false when the goal over spread is missed.
bool reportQuality() {
  const Topology topology = loadClos();
  CostModel cost(topology);
  declareOversubscribedClos(topology, cost);
  std::mt19937 random(2026);
  std::map<std::string, std::vector<double>> ratios;
  int states = 0;
  for (int trial = 0; trial < 500; ++trial) {
    PlanInput input{
        &topology,
        &cost,
        randomFree(topology, std::uniform_real_distribution<>(0.2, 0.8)(random), random),
        {},
        {},
        static_cast<unsigned>(trial)};
    input.request.hosts = std::uniform_int_distribution<>(4, 32)(random);
    input.request.gpusPerHost = std::uniform_int_distribution<>(1, 8)(random);
    auto result = planGang(input);
    if (!result.ok() || !result->gang) continue;
    ++states;
    for (const Placement& baseline : result->baselines) {
      ratios[baseline.strategy].push_back(result->gang->predicted.busbwGbps /
                                          baseline.predicted.busbwGbps);
    }
  }
  std::printf(
      "\nplan quality on %d random fragmented states of the 847-host Clos "
      "(our predicted ring busbw / baseline's):\n",
      states);
  for (const char* name : {"random", "spread", "first-fit", "best-fit"}) {
    const SampleStats s = summarize(ratios[name]);
    std::printf("  vs %-9s median %.2fx  worst %.2fx  best %.2fx\n", name, s.median, s.min, s.max);
  }
  const double overSpread = summarize(ratios["spread"]).median;
  const bool met = overSpread >= 1.3;
  std::printf("goal >= 1.3x over spread on the median: %s (%.2fx)\n", met ? "met" : "MISSED",
              overSpread);
  return met;
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  const bool met = topoplan::reportQuality();
  benchmark::Shutdown();
  return met ? 0 : 1;
}
