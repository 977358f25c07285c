#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "kernels/cuda/device_kernels.h"
#include "probes/gpu/copy_probe.h"
#include "probes/gpu/pcie_link.h"

namespace topoplan {
namespace {

constexpr unsigned long long kGateTimeoutNs = 10'000'000'000ULL;

__device__ unsigned long long globalTimerNs() {
  unsigned long long now;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  return now;
}

// The launch gate: holds its stream until the host sets *release, or 10 s pass (a host that
// died must not leave a GPU spinning).
__global__ void holdStream(const volatile int* release) {
  const unsigned long long start = globalTimerNs();
  while (*release == 0 && globalTimerNs() - start < kGateTimeoutNs) {
  }
}

struct CudaFree {
  void operator()(void* p) const { cudaFree(p); }
};
struct CudaFreeHost {
  void operator()(void* p) const { cudaFreeHost(p); }
};
using DeviceMemory = std::unique_ptr<void, CudaFree>;
using HostMemory = std::unique_ptr<void, CudaFreeHost>;

Result<DeviceMemory> allocateOn(int device, std::uint64_t bytes) {
  TOPOPLAN_CUDA_TRY(cudaSetDevice(device));
  void* p = nullptr;
  TOPOPLAN_CUDA_TRY(cudaMalloc(&p, bytes));
  return DeviceMemory(p);
}

// A stream of `device` with two events, released together.
class TimedStream {
 public:
  ~TimedStream() {
    if (start_) cudaEventDestroy(start_);
    if (stop_) cudaEventDestroy(stop_);
    if (stream_) cudaStreamDestroy(stream_);
  }
  Status open(int device) {
    TOPOPLAN_CUDA_TRY(cudaSetDevice(device));
    TOPOPLAN_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    TOPOPLAN_CUDA_TRY(cudaEventCreate(&start_));
    TOPOPLAN_CUDA_TRY(cudaEventCreate(&stop_));
    return okStatus();
  }
  cudaStream_t stream() const { return stream_; }
  cudaEvent_t start() const { return start_; }
  cudaEvent_t stop() const { return stop_; }

 private:
  cudaStream_t stream_ = nullptr;
  cudaEvent_t start_ = nullptr, stop_ = nullptr;
};

using CopyCall = std::function<cudaError_t(cudaStream_t)>;

// The samples of one copy: per sample the gate, its copies, the events around them. `gate` is
// mapped, portable host memory.
Result<SampleStats> measureCopies(int device, const GpuCopyConfig& config, volatile int* gate,
                                  const CopyCall& copy) {
  TimedStream timed;
  TOPOPLAN_TRY(timed.open(device));
  void* mapped = nullptr;
  TOPOPLAN_CUDA_TRY(cudaHostGetDevicePointer(&mapped, const_cast<int*>(gate), 0));
  const volatile int* release = static_cast<const volatile int*>(mapped);
  TOPOPLAN_CUDA_TRY(copy(timed.stream()));  // warm-up: first-touch and peer mappings
  TOPOPLAN_CUDA_TRY(cudaStreamSynchronize(timed.stream()));
  std::vector<double> gbps;
  for (int s = 0; s < config.samples; ++s) {
    *gate = 0;
    std::atomic_thread_fence(std::memory_order_seq_cst);
    holdStream<<<1, 1, 0, timed.stream()>>>(release);
    TOPOPLAN_CUDA_TRY(cudaGetLastError());
    TOPOPLAN_CUDA_TRY(cudaEventRecord(timed.start(), timed.stream()));
    for (int c = 0; c < config.copiesPerSample; ++c) TOPOPLAN_CUDA_TRY(copy(timed.stream()));
    TOPOPLAN_CUDA_TRY(cudaEventRecord(timed.stop(), timed.stream()));
    std::atomic_thread_fence(std::memory_order_seq_cst);
    *gate = 1;
    TOPOPLAN_CUDA_TRY(cudaStreamSynchronize(timed.stream()));
    float milliseconds = 0;
    TOPOPLAN_CUDA_TRY(cudaEventElapsedTime(&milliseconds, timed.start(), timed.stop()));
    const double bytes = static_cast<double>(config.bytes) * config.copiesPerSample;
    gbps.push_back(milliseconds > 0 ? bytes / (milliseconds * 1e-3) / 1e9 : 0);
  }
  return summarize(gbps);
}

// Copy bandwidth device memory allows: reads and writes share it, so half of clock x 2 (DDR) x
// bus width.
void deviceMemoryPeak(int device, GpuCopyRecord& record) {
  int clockKHz = 0, busBits = 0;
  if (cudaDeviceGetAttribute(&clockKHz, cudaDevAttrMemoryClockRate, device) != cudaSuccess ||
      cudaDeviceGetAttribute(&busBits, cudaDevAttrGlobalMemoryBusWidth, device) != cudaSuccess ||
      clockKHz <= 0 || busBits <= 0) {
    cudaGetLastError();
    return;
  }
  const double memoryGbps = 2.0 * clockKHz * 1e3 * (busBits / 8.0) / 1e9;
  record.expectedPeakGbps = memoryGbps / 2;
  record.peakBasis = "device memory " + std::to_string(static_cast<int>(memoryGbps)) + " GB/s (" +
                     std::to_string(clockKHz / 1000) + " MHz x 2 x " + std::to_string(busBits) +
                     " bits), read and written: half";
}

struct Gpu {
  int index = 0;
  std::string busId;  // sysfs form
  PcieLink link;
  DeviceMemory a, b;  // copy source and destination
};

const GpuPairPath* findPair(const std::vector<GpuPairPath>& pairs, const std::string& x,
                            const std::string& y) {
  for (const GpuPairPath& pair : pairs) {
    const std::string a = normalizeBusId(pair.a), b = normalizeBusId(pair.b);
    if ((a == x && b == y) || (a == y && b == x)) return &pair;
  }
  return nullptr;
}

// Path and peak of a peer copy from src to dst.
void peerPath(const Gpu& src, const Gpu& dst, bool access, const std::vector<GpuPairPath>& pairs,
              GpuCopyRecord& record) {
  if (!access) {
    record.path = "staged";
    return;
  }
  const GpuPairPath* pair = findPair(pairs, src.busId, dst.busId);
  if (pair && pair->nvlinkGbps > 0) {
    record.path = pair->path;
    record.expectedPeakGbps = pair->nvlinkGbps;
    record.peakBasis = "NVLink (hwloc NVLinkBandwidth)";
    return;
  }
  int atomics = 0;
  cudaDeviceGetP2PAttribute(&atomics, cudaDevP2PAttrNativeAtomicSupported, src.index, dst.index);
  cudaGetLastError();
  if (atomics == 1) {
    // PCIe peer mappings carry no native atomics, NVLink ones do: NVLink that hwloc did not
    // describe (no NVML data in this topology), its peak unknown.
    record.path = "nvlink";
    return;
  }
  record.path = pair ? pair->path : "pcie";
  if (src.link.known() && dst.link.known()) {
    const PcieLink& slower = src.link.peakGbps() <= dst.link.peakGbps() ? src.link : dst.link;
    record.expectedPeakGbps = slower.peakGbps();
    record.peakBasis = slower.text();
  }
}

Result<GpuCopyResult> probeDevices(int count, const GpuCopyConfig& config,
                                   const std::vector<GpuPairPath>& pairs) {
  GpuCopyResult result;
  std::vector<Gpu> gpus(static_cast<std::size_t>(count));
  for (int d = 0; d < count; ++d) {
    Gpu& gpu = gpus[static_cast<std::size_t>(d)];
    gpu.index = d;
    char busId[32] = {};
    TOPOPLAN_CUDA_TRY(cudaDeviceGetPCIBusId(busId, sizeof busId, d));
    gpu.busId = normalizeBusId(busId);
    gpu.link = readPcieLink(gpu.busId);
    auto a = allocateOn(d, config.bytes);
    if (!a) return a.error().context("cuda" + std::to_string(d));
    auto b = allocateOn(d, config.bytes);
    if (!b) return b.error().context("cuda" + std::to_string(d));
    gpu.a = std::move(*a);
    gpu.b = std::move(*b);
  }
  void* host = nullptr;
  TOPOPLAN_CUDA_TRY(cudaHostAlloc(&host, config.bytes, cudaHostAllocPortable));
  HostMemory hostBuffer(host);
  void* gateMemory = nullptr;
  TOPOPLAN_CUDA_TRY(
      cudaHostAlloc(&gateMemory, sizeof(int), cudaHostAllocPortable | cudaHostAllocMapped));
  HostMemory gateBuffer(gateMemory);
  volatile int* gate = static_cast<volatile int*>(gateMemory);

  const std::size_t bytes = config.bytes;
  auto add = [&](GpuCopyRecord record, int device, const CopyCall& copy) -> Status {
    auto stats = measureCopies(device, config, gate, copy);
    if (!stats) {
      auto name = [](int device) {
        return device < 0 ? std::string("host") : "cuda" + std::to_string(device);
      };
      return stats.error().context(record.kind + " copy, " + name(record.src) + " to " +
                                   name(record.dst));
    }
    record.bytes = config.bytes;
    record.bwGbps = *stats;
    result.copies.push_back(std::move(record));
    return okStatus();
  };
  for (Gpu& gpu : gpus) {
    GpuCopyRecord h2d{"h2d", -1, gpu.index};
    GpuCopyRecord d2h{"d2h", gpu.index, -1};
    for (GpuCopyRecord* record : {&h2d, &d2h}) {
      record->path = "pcie";
      record->expectedPeakGbps = gpu.link.peakGbps();
      record->peakBasis = gpu.link.text();
    }
    void* a = gpu.a.get();
    void* b = gpu.b.get();
    TOPOPLAN_TRY(add(h2d, gpu.index, [=](cudaStream_t s) {
      return cudaMemcpyAsync(a, host, bytes, cudaMemcpyHostToDevice, s);
    }));
    TOPOPLAN_TRY(add(d2h, gpu.index, [=](cudaStream_t s) {
      return cudaMemcpyAsync(host, a, bytes, cudaMemcpyDeviceToHost, s);
    }));
    GpuCopyRecord d2d{"d2d", gpu.index, gpu.index};
    d2d.path = "device-memory";
    deviceMemoryPeak(gpu.index, d2d);
    TOPOPLAN_TRY(add(d2d, gpu.index, [=](cudaStream_t s) {
      return cudaMemcpyAsync(b, a, bytes, cudaMemcpyDeviceToDevice, s);
    }));
  }
  // Peer copies written by the source GPU's copy engine, as nvbandwidth's memcpy_write_ce.
  for (const Gpu& src : gpus) {
    for (const Gpu& dst : gpus) {
      if (src.index == dst.index) continue;
      int access = 0;
      TOPOPLAN_CUDA_TRY(cudaDeviceCanAccessPeer(&access, src.index, dst.index));
      if (access) {
        TOPOPLAN_CUDA_TRY(cudaSetDevice(src.index));
        const cudaError_t enabled = cudaDeviceEnablePeerAccess(dst.index, 0);
        if (enabled == cudaErrorPeerAccessAlreadyEnabled) {
          cudaGetLastError();
        } else if (enabled != cudaSuccess) {
          return cuda::cudaError(enabled, "cudaDeviceEnablePeerAccess", __FILE__, __LINE__);
        }
      }
      GpuCopyRecord peer{"peer", src.index, dst.index};
      peerPath(src, dst, access != 0, pairs, peer);
      void* from = src.a.get();
      void* to = dst.b.get();
      const int s = src.index, t = dst.index;
      TOPOPLAN_TRY(add(peer, src.index, [=](cudaStream_t stream) {
        return cudaMemcpyPeerAsync(to, t, from, s, bytes, stream);
      }));
    }
  }
  return result;
}

}  // namespace

Result<GpuCopyResult> runGpuCopyProbe(const GpuCopyConfig& config,
                                      const std::vector<GpuPairPath>& pairs) {
  const int count = cuda::deviceCount();
  if (count == 0) {
    GpuCopyResult result;
    result.absentReason = "no CUDA device";
    return result;
  }
  if (config.bytes == 0 || config.samples < 1 || config.copiesPerSample < 1) {
    return Error("gpu copy probe: expected a size above 0 and at least one sample and copy");
  }
  return probeDevices(count, config, pairs);
}

}  // namespace topoplan
