// Google Benchmark of the CPU reduction kernel against memcpy, both on buffers far larger than
// the caches, with the ratio printed at the end.
//
//   build/bench/reduce_kernel_bench [--benchmark_min_time=0.5]
//
// Bandwidth counts memory traffic: memcpy reads N and writes N bytes (2N); reduceInto
// (dst op= src) reads 2N and writes N (3N). A kernel that keeps up with memory has ratio ~1.0;
// the goal is >= 0.8 for every type with sum.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "kernels/cpu/pattern.h"
#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

constexpr std::size_t kBytes = 64u << 20;

void BM_Memcpy(benchmark::State& state) {
  std::vector<std::byte> src(kBytes, std::byte{1}), dst(kBytes);
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), kBytes);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 2 * kBytes);
}

void BM_ReduceSum(benchmark::State& state) {
  const auto type = static_cast<DataType>(state.range(0));
  const std::size_t count = kBytes / sizeOf(type);
  std::vector<std::byte> src(kBytes), dst(kBytes);
  fillPattern(type, ReduceOp::kSum, 0, 1, src.data(), count);  // small integers
  fillPattern(type, ReduceOp::kSum, 1, 2, dst.data(), count);
  for (auto _ : state) {
    reduceInto(type, ReduceOp::kSum, dst.data(), src.data(), count);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 3 * kBytes);
  state.SetLabel(std::string(name(type)));
}

BENCHMARK(BM_Memcpy)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReduceSum)->DenseRange(0, 4)->Unit(benchmark::kMillisecond)->UseRealTime();

// Keeps each run's bytes per second so that main can print ratios after the console output.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      auto it = run.counters.find("bytes_per_second");
      if (it != run.counters.end()) rates[run.benchmark_name()] = it->second.value;
    }
  }
  std::map<std::string, double> rates;
};

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  using namespace topoplan;
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double memcpyRate = reporter.rates["BM_Memcpy/real_time"];
  if (memcpyRate <= 0) return 0;
  std::printf("\nreduction kernel / memcpy (memory traffic per second; goal >= 0.80):\n");
  for (DataType type : kAllDataTypes) {
    const std::string key = "BM_ReduceSum/" + std::to_string(static_cast<int>(type)) + "/real_time";
    if (reporter.rates.count(key)) {
      std::printf("  %-6s %6.2f GB/s  %.2fx\n", std::string(name(type)).c_str(),
                  reporter.rates[key] / 1e9, reporter.rates[key] / memcpyRate);
    }
  }
  benchmark::Shutdown();
  return 0;
}
