// The GPU copy probe: absent without a device (runs everywhere); on a device (ctest label gpu),
// every copy of every GPU measured, with its path and expected peak.
#include "probes/gpu/copy_probe.h"

#include <gtest/gtest.h>

#include "kernels/cuda/device_kernels.h"

namespace topoplan {
namespace {

TEST(GpuCopyAbsent, NoDeviceIsAbsenceNotAnError) {
  if (cuda::deviceCount() > 0) GTEST_SKIP() << "a CUDA device is present";
  auto result = runGpuCopyProbe({}, {});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(result->absentReason, "no CUDA device");
  EXPECT_TRUE(result->copies.empty());
}

TEST(GpuCopyDevice, EveryCopyOfEveryGpuWithItsPathAndPeak) {
  const int gpus = cuda::deviceCount();
  if (gpus == 0) GTEST_SKIP() << "no CUDA device";
  GpuCopyConfig config;
  config.bytes = 32 << 20;
  config.samples = 3;
  auto result = runGpuCopyProbe(config, {});
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_TRUE(result->absentReason.empty());
  ASSERT_EQ(result->copies.size(), static_cast<std::size_t>(3 * gpus + gpus * (gpus - 1)));
  for (const GpuCopyRecord& copy : result->copies) {
    EXPECT_EQ(copy.bytes, config.bytes);
    EXPECT_EQ(copy.bwGbps.samples, 3u);
    EXPECT_GT(copy.bwGbps.median, 0) << copy.kind;
    if (copy.kind == "h2d" || copy.kind == "d2h") {
      EXPECT_EQ(copy.path, "pcie");
    }
    if (copy.kind == "d2d") {
      EXPECT_EQ(copy.path, "device-memory");
      EXPECT_GT(copy.expectedPeakGbps, 0) << "the memory clock and bus width give a peak";
      EXPECT_LT(copy.peakPercent(), 110) << copy.peakBasis;
    }
  }
}

TEST(GpuCopyDevice, RefusesAnEmptyConfiguration) {
  if (cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  GpuCopyConfig config;
  config.samples = 0;
  EXPECT_FALSE(runGpuCopyProbe(config, {}).ok());
}

}  // namespace
}  // namespace topoplan
