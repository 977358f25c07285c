// The nccl adapter: a waiver without a GPU (runs everywhere), an exact single-GPU sweep (needs a
// CUDA device, ctest label gpu).
#include "allreduce/nccl/nccl_allreduce.h"
#include "allreduce/nccl/nccl_library.h"

#include <gtest/gtest.h>

#include <iterator>

#include "allreduce/sweep.h"
#include "core/thread_comm.h"
#include "kernels/cuda/device_kernels.h"

namespace topoplan {
namespace {

TEST(NcclWaiver, NamesTheRankWithoutAGpu) {
  if (cuda::deviceCount() > 0) GTEST_SKIP() << "a CUDA device is present";
  auto statuses = ThreadWorld::run(2, [](Comm& comm) -> Status {
    auto setup = setUpNccl(comm, comm.rank(), 10, {});
    if (!setup) return setup.error();
    EXPECT_EQ(setup->algorithm, nullptr);
    EXPECT_EQ(setup->waived, "no CUDA device on rank 0");
    return okStatus();
  });
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.error().message();
}

// NCCL is loaded at run time: where the loader finds libnccl.so.2, every function resolves and
// the version and file are named.
TEST(NcclWaiver, TheLibraryLoadsWithItsVersionAndFile) {
  auto nccl = NcclLibrary::load();
  if (!nccl) GTEST_SKIP() << nccl.error().message();
  EXPECT_EQ((*nccl)->version().rfind("NCCL 2.", 0), 0u) << (*nccl)->version();
  EXPECT_NE((*nccl)->path().find("libnccl.so"), std::string::npos) << (*nccl)->path();
  EXPECT_EQ(std::string((*nccl)->getErrorString(ncclInvalidArgument)).rfind("invalid argument", 0),
            0u);
}

TEST(NcclGpu, SingleGpuSweepIsExactForEveryTypeAndOp) {
  if (cuda::deviceCount() == 0) GTEST_SKIP() << "no CUDA device";
  auto statuses = ThreadWorld::run(1, [](Comm& comm) -> Status {
    auto setup = setUpNccl(comm, 0, 60, {});
    if (!setup) return setup.error();
    EXPECT_TRUE(setup->waived.empty()) << setup->waived;
    if (!setup->algorithm) return okStatus();
    EXPECT_NE(setup->library.find("NCCL 2."), std::string::npos) << setup->library;
    EXPECT_NE(setup->device.find("cuda0 ("), std::string::npos) << setup->device;
    SweepConfig config;
    config.minBytes = 8;
    config.maxBytes = 1 << 20;
    config.stepFactor = 16;
    config.warmup = 1;
    config.iters = 3;
    config.types = {std::begin(kAllDataTypes), std::end(kAllDataTypes)};
    config.ops = {std::begin(kAllReduceOps), std::end(kAllReduceOps)};
    config.check = true;
    auto records = runSweep(comm, *setup->algorithm, config);
    if (!records) return records.error();
    // 5 types x 4 ops x 5 sizes (8 B to 512 KiB) x 2 placements.
    EXPECT_EQ(records->size(), 5u * 4 * 5 * 2);
    for (const AllreduceRecord& record : *records) {
      EXPECT_EQ(record.algo, "nccl");
      EXPECT_EQ(record.wrong, 0u) << record.dtype << " " << record.op << " " << record.bytes;
      if (record.bytes > 0) {
        EXPECT_GT(record.algbw_gbps, 0) << record.bytes;
      }
      EXPECT_EQ(record.busbw_gbps, 0);  // one rank moves nothing between ranks
    }
    return okStatus();
  });
  EXPECT_TRUE(statuses[0].ok()) << statuses[0].error().message();
}

}  // namespace
}  // namespace topoplan
