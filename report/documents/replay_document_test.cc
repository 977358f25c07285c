#include "report/documents/replay_document.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

ReplayReport sampleReport() {
  ReplayReport report;
  report.cluster = "synthetic:rack=2,host=4";
  report.trace = "teams.csv";
  report.traceFormat = "csv";
  report.traceJobs = 3;
  report.queue = "fairshare";
  report.failures = "whole-gang preemption by priority; no checkpoints";
  ReplaySummary s;
  s.policy = "topoplan";
  s.jobs = 3;
  s.started = 3;
  s.jctMeanS = 200;
  s.queueMeanS = 99;
  s.makespanS = 300;
  s.utilizationMean = 1;
  s.restarts = 1;
  s.preemptions = 2;
  s.allocatedGpuH = 5;
  s.lostGpuH = 0.5;
  s.goodput = 0.9;
  s.teams = {{"a", 2, 99.5, 199, 3.5}, {"b", 1, 98, 98, 1.75}};
  report.policies = {s};
  return report;
}

// The document as a file holds it: written as text, parsed again.
nlohmann::ordered_json throughText(const ReplayReport& report) {
  return nlohmann::ordered_json::parse(replayDocument(report, {"topoplan", "replay"}).dump());
}

// Preemptions and the teams' figures go into the document and come back as they were.
TEST(ReplayDocument, PreemptionsAndTeamsRoundTrip) {
  const ReplayReport report = sampleReport();
  auto back = readReplayDocument(throughText(report), "r.json");
  ASSERT_TRUE(back.ok()) << back.error().message();
  EXPECT_EQ(back->queue, "fairshare");
  const ReplaySummary& s = back->policies.at(0);
  EXPECT_EQ(s.restarts, 1);
  EXPECT_EQ(s.preemptions, 2);
  ASSERT_EQ(s.teams.size(), 2u);
  EXPECT_EQ(s.teams[0].team, "a");
  EXPECT_EQ(s.teams[0].jobs, 2);
  EXPECT_DOUBLE_EQ(s.teams[0].queueMeanS, 99.5);
  EXPECT_DOUBLE_EQ(s.teams[0].queueP99S, 199);
  EXPECT_DOUBLE_EQ(s.teams[1].gpuH, 1.75);
  EXPECT_NE(replayTable(*back).find("per team"), std::string::npos);

  auto document = throughText(report);
  document["policies"][0]["teams"][1]["queue_s"]["mean"] = -1;
  auto bad = readReplayDocument(document, "r.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("r.json.policies[0].teams[1].queue_s.mean"),
            std::string::npos)
      << bad.error().message();
  document = throughText(report);
  document["queue"] = "lifo";
  EXPECT_FALSE(readReplayDocument(document, "r.json").ok());
}

// One row per job and policy; a job that never started has empty times; a field with a comma
// or a quote is quoted as CSV quotes it.
TEST(ReplayDocument, JobsCsvQuotesWhatNeedsIt) {
  ReplayReport report;
  report.jobs = {{"topoplan", "7", 1, 2, 12, 2, 8, 1, 0, 0, "h[0001-0002]"},
                 {"topoplan", "a,\"b\"", 3, -1, -1, 1, 8, 0, 0, 0, ""}};
  EXPECT_EQ(replayJobsCsv(report),
            "policy,job,submit_s,start_s,end_s,queue_s,nodes,gpus_per_node,runs,restarts,"
            "preemptions,hosts\n"
            "topoplan,7,1.000,2.000,12.000,1.000,2,8,1,0,0,h[0001-0002]\n"
            "topoplan,\"a,\"\"b\"\"\",3.000,,,,1,8,0,0,0,\n");
}

}  // namespace
}  // namespace topoplan
