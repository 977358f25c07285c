// Ratio benchmark on one GPU: the device reduction kernel (kernels/cuda reduceInto, dst op= src)
// against cudaMemcpy device-to-device, measured in the same run.
//
//   build/bench/device_reduce_vs_memcpy [--sizes 64M,256M] [-n 20] [--device 0]
//
// Both are judged by the device-memory traffic they cause per second: the kernel reads two
// buffers and writes one (3 x bytes), the copy reads one and writes one (2 x bytes). The kernel
// cannot beat the memory system the copy engine already saturates, so kernel / memcpy is how
// close the kernel comes to it; the goal is >= 0.85. Times are CUDA events around each
// iteration, median of -n. Exits 2 on bad options, 3 without a CUDA device.
#include <cuda_runtime_api.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/data_type.h"
#include "core/stats.h"
#include "core/units.h"
#include "kernels/cuda/device_kernels.h"

namespace {

using namespace topoplan;

// Median time in microseconds of `iters` runs of `enqueue` between CUDA events.
Result<double> medianUs(int iters, cudaStream_t stream, const std::function<Status()>& enqueue) {
  cudaEvent_t start = nullptr, stop = nullptr;
  TOPOPLAN_CUDA_TRY(cudaEventCreate(&start));
  TOPOPLAN_CUDA_TRY(cudaEventCreate(&stop));
  std::vector<double> times;
  Status status = enqueue();  // warm-up
  for (int i = 0; status && i < iters; ++i) {
    cudaEventRecord(start, stream);
    status = enqueue();
    cudaEventRecord(stop, stream);
    if (cudaEventSynchronize(stop) != cudaSuccess) status = Error("cudaEventSynchronize failed");
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    times.push_back(ms * 1000.0);
  }
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  if (!status) return status.error();
  return summarize(times).median;
}

}  // namespace

int main(int argc, char** argv) {
  std::string sizesText = "64M,256M";
  int iters = 20, device = 0;
  CLI::App app{"device reduction kernel / cudaMemcpy D2D, memory-traffic bandwidth ratio"};
  app.add_option("--sizes", sizesText)->capture_default_str();
  app.add_option("-n", iters)->capture_default_str()->check(CLI::Range(1, 10000));
  app.add_option("--device", device)->capture_default_str()->check(CLI::Range(0, 1023));
  CLI11_PARSE(app, argc, argv);
  std::vector<std::uint64_t> sizes;
  for (std::string_view text : splitList(sizesText)) {
    auto bytes = parseSize(text, "--sizes");
    if (!bytes || *bytes == 0) {
      std::fprintf(stderr, "--sizes: '%s': expected sizes such as 64M,256M\n",
                   std::string(text).c_str());
      return 2;
    }
    sizes.push_back(*bytes);
  }
  if (cuda::deviceCount() <= device) {
    std::fprintf(stderr, "device_reduce_vs_memcpy: no CUDA device %d\n", device);
    return 3;
  }
  cudaSetDevice(device);
  cudaDeviceProp properties{};
  cudaGetDeviceProperties(&properties, device);
  std::printf("# cuda%d %s, %d iterations per figure; GB/s of device-memory traffic\n", device,
              properties.name, iters);
  std::printf("#  %10s  %6s  %14s  %14s  %14s\n", "size", "type", "memcpy GB/s", "reduce GB/s",
              "reduce/memcpy");
  cudaStream_t stream = nullptr;
  cudaStreamCreate(&stream);
  int failures = 0;
  for (std::uint64_t bytes : sizes) {
    void* dst = nullptr;
    void* src = nullptr;
    if (cudaMalloc(&dst, bytes) != cudaSuccess || cudaMalloc(&src, bytes) != cudaSuccess) {
      std::fprintf(stderr, "cudaMalloc of 2 x %llu bytes failed\n",
                   static_cast<unsigned long long>(bytes));
      return 3;
    }
    auto copy = medianUs(iters, stream, [&]() -> Status {
      TOPOPLAN_CUDA_TRY(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, stream));
      return okStatus();
    });
    for (DataType type : kAllDataTypes) {
      const std::size_t count = bytes / sizeOf(type);
      cudaMemsetAsync(dst, 0, bytes, stream);
      cudaMemsetAsync(src, 0, bytes, stream);
      auto reduce = medianUs(iters, stream, [&] {
        return cuda::reduceInto(type, ReduceOp::kSum, dst, src, count, stream);
      });
      if (!copy || !reduce) {
        std::fprintf(stderr, "%s\n", (!copy ? copy.error() : reduce.error()).message().c_str());
        ++failures;
        continue;
      }
      const double copyGbps = gbps(2 * bytes, *copy / kMicrosPerSecond);
      const double reduceGbps = gbps(3 * count * sizeOf(type), *reduce / kMicrosPerSecond);
      std::printf("   %10s  %6s  %14.1f  %14.1f  %13.2fx\n", formatSize(bytes).c_str(),
                  std::string(name(type)).c_str(), copyGbps, reduceGbps, reduceGbps / copyGbps);
    }
    cudaFree(dst);
    cudaFree(src);
  }
  cudaStreamDestroy(stream);
  return failures == 0 ? 0 : 1;
}
