#include "allreduce/sweep.h"

#include <gtest/gtest.h>

#include "allreduce/registry.h"
#include "core/thread_comm.h"

namespace topoplan {
namespace {

// Runs the ring, then flips one element on rank 1: the check pass must see it.
class CorruptingRing final : public AllreduceAlgorithm {
 public:
  std::string_view name() const override { return "corrupt"; }
  Status run(Comm& comm, const AllreduceArgs& args) override {
    TOPOPLAN_TRY(ring_->run(comm, args));
    if (comm.rank() == 1 && args.count > 3) static_cast<float*>(args.recv)[3] += 1.0f;
    return okStatus();
  }

 private:
  std::unique_ptr<AllreduceAlgorithm> ring_ = makeOwnAlgorithm("ring");
};

SweepConfig smallConfig() {
  SweepConfig config;
  config.minBytes = 8;
  config.maxBytes = 4096;
  config.stepFactor = 8;
  config.warmup = 1;
  config.iters = 3;
  config.check = true;
  return config;
}

TEST(Sweep, SizesFollowFactorOrStep) {
  SweepConfig config = smallConfig();
  EXPECT_EQ(sweepSizes(config), (std::vector<std::uint64_t>{8, 64, 512, 4096}));
  config.stepBytes = 1000;
  EXPECT_EQ(sweepSizes(config), (std::vector<std::uint64_t>{8, 1008, 2008, 3008, 4008}));
  config.minBytes = 0;
  config.stepBytes = 0;
  config.maxBytes = 8;
  config.stepFactor = 2;
  EXPECT_EQ(sweepSizes(config), (std::vector<std::uint64_t>{0, 1, 2, 4, 8}));
}

TEST(Sweep, ValidationNamesTheOption) {
  SweepConfig config = smallConfig();
  config.minBytes = 1 << 20;
  EXPECT_NE(validate(config).error().message().find("-b"), std::string::npos);
  config = smallConfig();
  config.stepFactor = 1.0;
  EXPECT_NE(validate(config).error().message().find("-f"), std::string::npos);
  config = smallConfig();
  config.iters = 0;
  EXPECT_NE(validate(config).error().message().find("-n"), std::string::npos);
  config = smallConfig();
  config.maxBytes = 1ULL << 62;
  auto statuses = ThreadWorld::run(1, [&](Comm& comm) -> Status {
    auto algorithm = makeOwnAlgorithm("ring");
    auto records = runSweep(comm, *algorithm, config);
    if (records) return okStatus();
    return records.error();
  });
  ASSERT_FALSE(statuses[0].ok());
  EXPECT_NE(statuses[0].error().message().find("memory"), std::string::npos);
}

TEST(Sweep, EveryRankAdoptsRankZerosConfig) {
  auto statuses = ThreadWorld::run(3, [](Comm& comm) -> Status {
    SweepConfig config = smallConfig();
    if (comm.rank() != 0) {
      config.iters = 99;
      config.types = {DataType::kHalf, DataType::kInt32};
      config.check = false;
    }
    TOPOPLAN_TRY(agreeOnConfig(comm, config));
    if (config.iters != 3 || config.types != std::vector{DataType::kFloat} || !config.check) {
      return Error("rank " + std::to_string(comm.rank()) + " kept its own config");
    }
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
}

TEST(Sweep, RecordsCarryStatisticsBandwidthAndCheck) {
  std::vector<std::vector<AllreduceRecord>> perRank(4);
  auto statuses = ThreadWorld::run(4, [&](Comm& comm) -> Status {
    auto algorithm = makeOwnAlgorithm("ring");
    auto records = runSweep(comm, *algorithm, smallConfig());
    if (!records) return records.error();
    perRank[static_cast<std::size_t>(comm.rank())] = *records;
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  const auto& records = perRank[0];
  ASSERT_EQ(records.size(), 8u);  // 4 sizes x {out-of-place, in-place}
  for (const AllreduceRecord& record : records) {
    EXPECT_EQ(record.algo, "ring");
    EXPECT_EQ(record.count * 4, record.bytes);
    EXPECT_EQ(record.time_us.samples, 3u);
    EXPECT_LE(record.time_us.p10, record.time_us.median);
    EXPECT_LE(record.time_us.median, record.time_us.p90);
    EXPECT_GT(record.time_us.min, 0.0);
    ASSERT_TRUE(record.wrong.has_value());
    EXPECT_EQ(*record.wrong, 0u);
    EXPECT_NEAR(record.algbw_gbps, record.bytes / record.time_us.median / 1e3, 1e-9);
    EXPECT_NEAR(record.busbw_gbps, record.algbw_gbps * 1.5, 1e-9);
  }
  EXPECT_FALSE(records[0].in_place);
  EXPECT_TRUE(records[1].in_place);
}

TEST(Sweep, CheckCountsACorruptedElement) {
  std::vector<std::uint64_t> wrongOnRank0;
  auto statuses = ThreadWorld::run(3, [&](Comm& comm) -> Status {
    CorruptingRing algorithm;
    SweepConfig config = smallConfig();
    config.minBytes = config.maxBytes = 256;
    auto records = runSweep(comm, algorithm, config);
    if (!records) return records.error();
    if (comm.rank() == 0) {
      for (const auto& record : *records) wrongOnRank0.push_back(record.wrong.value_or(0));
    }
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(wrongOnRank0, (std::vector<std::uint64_t>{1, 1}));
}

}  // namespace
}  // namespace topoplan
