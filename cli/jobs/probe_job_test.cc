#include "cli/jobs/probe_job.h"

#include <gtest/gtest.h>

#include <mutex>

#include "core/thread_comm.h"

namespace topoplan {
namespace {

ProbePlan smallPlan(std::vector<std::string> paths) {
  ProbePlan plan;
  plan.config.sizes = {4096};
  plan.config.iters = 3;
  plan.config.minIters = 2;
  plan.paths = std::move(paths);
  plan.timeoutSeconds = 60;
  return plan;
}

// Four ranks on two hosts, each rank a thread: every pair measured once, every host's inventory
// gathered into a record, and the gpu path waived with its reason where there is no CUDA device.
TEST(ProbeJob, MeasuresEveryPairAndGathersEveryHostsInventoryAsRecords) {
  const std::vector<std::string> hosts = {"a", "a", "b", "b"};
  const ProbePlan plan = smallPlan({"mpi", "gpu"});
  ProbeOptions options;
  options.serial = true;
  std::mutex mutex;
  ProbeRun rootRun;
  std::vector<ProbedPath> rootProbed;
  const auto statuses = ThreadWorld::run(4, [&](Comm& comm) -> Status {
    ProbeRun run;
    run.rankHosts = hosts;
    run.localRanks = {0, 1, 0, 1};
    std::vector<ProbedPath> probed;
    TOPOPLAN_TRY(runProbeJob(comm, plan, options, run, probed));
    if (comm.rank() == 0) {
      std::lock_guard<std::mutex> lock(mutex);
      rootRun = std::move(run);
      rootProbed = std::move(probed);
    }
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_EQ(rootProbed.size(), 1u);  // gpu measures copies, not links
  EXPECT_EQ(rootProbed[0].probe, "mpi");
  ASSERT_EQ(rootProbed[0].result.links.size(), 6u);
  for (const LinkMeasurement& link : rootProbed[0].result.links) {
    ASSERT_FALSE(link.primary().empty());
    EXPECT_GT(link.primary().back().bwGbps.median, 0);
  }
  // Every host's inventory, as a record read back from what its first rank sent.
  ASSERT_EQ(rootRun.inventories.size() + rootRun.inventoryErrors.size(), 2u);
  for (const auto& [host, inventory] : rootRun.inventories) {
    EXPECT_EQ(inventory.source, "live") << host;
    EXPECT_GT(inventory.pus, 0) << host;
  }
  const bool anyGpu = !rootRun.gpuCopies.empty();
  if (!anyGpu) {
    ASSERT_EQ(rootRun.waived.size(), 2u);  // one per host
    EXPECT_EQ(rootRun.waived[0].first, "gpu");
    EXPECT_NE(rootRun.waived[0].second.find("on host a"), std::string::npos);
  }
  const std::string table = probeTable(rootRun, rootProbed);
  EXPECT_NE(table.find("0@a"), std::string::npos) << table;
  EXPECT_NE(table.find("3@b"), std::string::npos) << table;
}

TEST(ProbeJob, SettingsAsTheDocumentRecordsThem) {
  ProbeOptions options;
  options.pairs = "all";
  options.declared = "racks.csv";
  const auto config = probeConfigJson(smallPlan({"mpi"}), options);
  EXPECT_EQ(config["sizes"], nlohmann::ordered_json::array({4096}));
  EXPECT_EQ(config["iters"], 3);
  EXPECT_EQ(config["pairs"], "all");
  EXPECT_EQ(config["declared"], "racks.csv");
  EXPECT_EQ(config["timeout_s"], 60);
}

}  // namespace
}  // namespace topoplan
