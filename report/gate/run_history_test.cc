#include "report/gate/run_history.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/test_data.h"

namespace topoplan {
namespace {

MetricSet sample(double value) {
  MetricSet set{"new.json", "allreduce", {}, {}};
  Metric m;
  m.key = "allreduce ring float sum in-place 1048576";
  m.unit = "busbw_gbps";
  m.value = value;
  m.noise = 0.1;
  m.samples = 3;
  m.sampleValues = {value, value * 1.1, value * 0.9};
  set.metrics.push_back(m);
  return set;
}

TEST(RunHistory, AppendsAndReadsBackRunsInOrder) {
  const std::string dir = testing::TempDir() + "/history_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/history.jsonl";
  ASSERT_TRUE(appendHistory(path, sample(1.5)).ok());
  ASSERT_TRUE(appendHistory(path, sample(2.5)).ok());
  auto runs = readRuns(path);
  ASSERT_TRUE(runs.ok()) << runs.error().message();
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[1].metrics[0].value, 2.5);
  EXPECT_EQ((*runs)[1].metrics[0].sampleValues.size(), 3u);
  EXPECT_EQ((*runs)[0].kind, "allreduce");
  // A directory: its files in name order, each a document or a history.
  std::filesystem::copy_file(std::string(TOPOPLAN_TEST_DATA) + "/compare/samples-baseline.json",
                             dir + "/a.json");
  auto all = readRuns(dir);
  ASSERT_TRUE(all.ok()) << all.error().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->front().source, dir + "/a.json");
}

TEST(RunHistory, ABadLineIsNamed) {
  const ScratchFile file("bad.jsonl", historyLine(sample(1), "2026-12-05T00:00:00Z") +
                                          "{\"schema\": \"topoplan.run/v1\", \"source\": \"x\"}\n");
  auto runs = readRuns(file.path());
  ASSERT_FALSE(runs.ok());
  EXPECT_NE(runs.error().message().find("bad.jsonl:2"), std::string::npos)
      << runs.error().message();
  // Appending to a file that is no history is refused.
  const ScratchFile doc("doc.json", "{\"schema\": \"topoplan.allreduce/v1\"}\n");
  EXPECT_FALSE(appendHistory(doc.path(), sample(1)).ok());
}

}  // namespace
}  // namespace topoplan
