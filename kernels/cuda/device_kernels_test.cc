// Device kernels against the CPU pattern: needs a CUDA device (ctest label gpu).
#include "kernels/cuda/device_kernels.h"

#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <vector>

#include "kernels/cpu/pattern.h"

namespace topoplan {
namespace {

class DeviceKernels : public ::testing::Test {
 protected:
  void SetUp() override {
    if (cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  }
};

// Every rank's pattern reduced on the device gives the exact result for every type and op, and
// the device verifier agrees with the CPU one, including on one corrupted element.
TEST_F(DeviceKernels, ReduceFillAndVerifyMatchTheCpu) {
  const std::size_t count = 100003;
  const int ranks = 5;
  for (DataType type : kAllDataTypes) {
    for (ReduceOp op : kAllReduceOps) {
      const std::size_t bytes = count * sizeOf(type);
      void* acc = nullptr;
      void* input = nullptr;
      ASSERT_EQ(cudaMalloc(&acc, bytes), cudaSuccess);
      ASSERT_EQ(cudaMalloc(&input, bytes), cudaSuccess);
      ASSERT_TRUE(cuda::fillPattern(type, op, 0, ranks, acc, count, nullptr).ok());
      EXPECT_EQ(*cuda::countWrongInputs(type, op, 0, ranks, acc, count, nullptr), 0u);
      EXPECT_GT(*cuda::countWrongInputs(type, op, 1, ranks, acc, count, nullptr), 0u);
      for (int r = 1; r < ranks; ++r) {
        ASSERT_TRUE(cuda::fillPattern(type, op, r, ranks, input, count, nullptr).ok());
        ASSERT_TRUE(cuda::reduceInto(type, op, acc, input, count, nullptr).ok());
      }
      auto wrong = cuda::countWrongResults(type, op, ranks, acc, count, nullptr);
      ASSERT_TRUE(wrong.ok()) << wrong.error().message();
      EXPECT_EQ(*wrong, 0u) << name(type) << " " << name(op);
      std::vector<std::byte> host(bytes);
      ASSERT_EQ(cudaMemcpy(host.data(), acc, bytes, cudaMemcpyDeviceToHost), cudaSuccess);
      EXPECT_EQ(countWrongResults(type, op, ranks, host.data(), count), 0u);
      ASSERT_EQ(cudaMemset(acc, 0x7f, sizeOf(type)), cudaSuccess);  // corrupt element 0
      EXPECT_EQ(*cuda::countWrongResults(type, op, ranks, acc, count, nullptr), 1u);
      cudaFree(acc);
      cudaFree(input);
    }
  }
}

TEST(DeviceErrors, CudaErrorsNameTheCall) {
  Error error = cuda::cudaError(cudaErrorMemoryAllocation, "cudaMalloc(&p, n)", "f.cc", 7);
  EXPECT_NE(error.message().find("cudaMalloc(&p, n) failed: cudaErrorMemoryAllocation"),
            std::string::npos);
  EXPECT_NE(error.message().find("f.cc:7"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
