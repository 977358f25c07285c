#include "kernels/cuda/device_kernels.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <string>

#include "kernels/pattern_formula.h"

namespace topoplan::cuda {
namespace {

constexpr int kThreads = 256;

// How each storage type is computed on the device: 16-bit floats in float, rounded to nearest
// even on store, as on the CPU.
template <typename T>
struct Device {
  using Compute = T;
  __device__ static T load(T v) { return v; }
  __device__ static T store(T v) { return v; }
  __device__ static T fromDouble(double v) { return static_cast<T>(v); }
};
template <>
struct Device<__half> {
  using Compute = float;
  __device__ static float load(__half v) { return __half2float(v); }
  __device__ static __half store(float v) { return __float2half_rn(v); }
  __device__ static __half fromDouble(double v) { return __float2half_rn(static_cast<float>(v)); }
};
template <>
struct Device<__nv_bfloat16> {
  using Compute = float;
  __device__ static float load(__nv_bfloat16 v) { return __bfloat162float(v); }
  __device__ static __nv_bfloat16 store(float v) { return __float2bfloat16_rn(v); }
  __device__ static __nv_bfloat16 fromDouble(double v) {
    return __float2bfloat16_rn(static_cast<float>(v));
  }
};

// int32 sum and prod wrap modulo 2^32, as on the CPU.
template <typename C>
__device__ C applyOp(ReduceOp op, C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    if (op == ReduceOp::kSum) return static_cast<C>(static_cast<U>(a) + static_cast<U>(b));
    if (op == ReduceOp::kProd) return static_cast<C>(static_cast<U>(a) * static_cast<U>(b));
  } else {
    if (op == ReduceOp::kSum) return a + b;
    if (op == ReduceOp::kProd) return a * b;
  }
  if (op == ReduceOp::kMin) return b < a ? b : a;
  return a < b ? b : a;
}

template <typename T, ReduceOp kOp>
__global__ void reduceKernel(T* __restrict__ dst, const T* __restrict__ src, std::size_t count) {
  using D = Device<T>;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < count;
       i += std::size_t{gridDim.x} * blockDim.x) {
    dst[i] = D::store(applyOp(kOp, D::load(dst[i]), D::load(src[i])));
  }
}

template <typename T>
__global__ void fillKernel(T* buffer, std::size_t count, DataType type, ReduceOp op, int rank,
                           int ranks) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < count;
       i += std::size_t{gridDim.x} * blockDim.x) {
    buffer[i] = Device<T>::fromDouble(pattern::input(type, op, rank, ranks, i));
  }
}

// Counts the elements that differ from the reduced result, or (rank >= 0) from that rank's
// inputs.
template <typename T>
__global__ void verifyKernel(const T* buffer, std::size_t count, DataType type, ReduceOp op,
                             int rank, int ranks, unsigned long long* wrong) {
  unsigned long long mine = 0;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < count;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const double actual = static_cast<double>(Device<T>::load(buffer[i]));
    const double expected =
        rank < 0 ? pattern::result(type, op, ranks, i) : pattern::input(type, op, rank, ranks, i);
    if (!(actual == expected)) ++mine;
  }
  if (mine) atomicAdd(wrong, mine);
}

unsigned blocksFor(std::size_t count) {
  const std::size_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<unsigned>(blocks < 65535 ? (blocks == 0 ? 1 : blocks) : 65535);
}

template <typename Fn>
void visitDeviceType(DataType type, Fn&& fn) {
  switch (type) {
    case DataType::kFloat:
      return fn(float{});
    case DataType::kDouble:
      return fn(double{});
    case DataType::kInt32:
      return fn(std::int32_t{});
    case DataType::kBf16:
      return fn(__nv_bfloat16{});
    case DataType::kHalf:
      return fn(__half{});
  }
}

template <typename T>
void launchReduce(ReduceOp op, T* dst, const T* src, std::size_t count, cudaStream_t stream) {
  const unsigned blocks = blocksFor(count);
  switch (op) {
    case ReduceOp::kSum:
      return reduceKernel<T, ReduceOp::kSum><<<blocks, kThreads, 0, stream>>>(dst, src, count);
    case ReduceOp::kProd:
      return reduceKernel<T, ReduceOp::kProd><<<blocks, kThreads, 0, stream>>>(dst, src, count);
    case ReduceOp::kMin:
      return reduceKernel<T, ReduceOp::kMin><<<blocks, kThreads, 0, stream>>>(dst, src, count);
    case ReduceOp::kMax:
      return reduceKernel<T, ReduceOp::kMax><<<blocks, kThreads, 0, stream>>>(dst, src, count);
  }
}

}  // namespace

Error cudaError(cudaError_t code, const char* call, const char* file, int line) {
  return Error(std::string(call) + " failed: " + cudaGetErrorName(code) + ": " +
               cudaGetErrorString(code) + " (at " + file + ":" + std::to_string(line) + ")");
}

int deviceCount() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no driver / no device" error
    return 0;
  }
  return count;
}

Status reduceInto(DataType type, ReduceOp op, void* dst, const void* src, std::size_t count,
                  cudaStream_t stream) {
  if (count == 0) return okStatus();
  visitDeviceType(type, [&](auto element) {
    using T = decltype(element);
    launchReduce(op, static_cast<T*>(dst), static_cast<const T*>(src), count, stream);
  });
  TOPOPLAN_CUDA_TRY(cudaGetLastError());
  return okStatus();
}

Status fillPattern(DataType type, ReduceOp op, int rank, int ranks, void* buffer, std::size_t count,
                   cudaStream_t stream) {
  if (count == 0) return okStatus();
  visitDeviceType(type, [&](auto element) {
    using T = decltype(element);
    fillKernel<T><<<blocksFor(count), kThreads, 0, stream>>>(static_cast<T*>(buffer), count, type,
                                                             op, rank, ranks);
  });
  TOPOPLAN_CUDA_TRY(cudaGetLastError());
  return okStatus();
}

namespace {

Result<std::uint64_t> countWrong(DataType type, ReduceOp op, int rank, int ranks,
                                 const void* buffer, std::size_t count, cudaStream_t stream) {
  if (count == 0) return std::uint64_t{0};
  unsigned long long* wrong = nullptr;
  TOPOPLAN_CUDA_TRY(cudaMallocAsync(&wrong, sizeof *wrong, stream));
  unsigned long long host = 0;
  auto release = [&](Status status) -> Result<std::uint64_t> {
    cudaFreeAsync(wrong, stream);
    if (!status) return status.error();
    return static_cast<std::uint64_t>(host);
  };
  Status status = [&]() -> Status {
    TOPOPLAN_CUDA_TRY(cudaMemsetAsync(wrong, 0, sizeof *wrong, stream));
    visitDeviceType(type, [&](auto element) {
      using T = decltype(element);
      verifyKernel<T><<<blocksFor(count), kThreads, 0, stream>>>(
          static_cast<const T*>(buffer), count, type, op, rank, ranks, wrong);
    });
    TOPOPLAN_CUDA_TRY(cudaGetLastError());
    TOPOPLAN_CUDA_TRY(cudaMemcpyAsync(&host, wrong, sizeof host, cudaMemcpyDeviceToHost, stream));
    TOPOPLAN_CUDA_TRY(cudaStreamSynchronize(stream));
    return okStatus();
  }();
  return release(status);
}

}  // namespace

Result<std::uint64_t> countWrongResults(DataType type, ReduceOp op, int ranks, const void* buffer,
                                        std::size_t count, cudaStream_t stream) {
  return countWrong(type, op, -1, ranks, buffer, count, stream);
}

Result<std::uint64_t> countWrongInputs(DataType type, ReduceOp op, int rank, int ranks,
                                       const void* buffer, std::size_t count, cudaStream_t stream) {
  return countWrong(type, op, rank, ranks, buffer, count, stream);
}

}  // namespace topoplan::cuda
