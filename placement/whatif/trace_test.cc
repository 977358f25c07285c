#include "placement/whatif/trace.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/result_testing.h"
#include "tests/test_data.h"

namespace topoplan {
namespace {

TEST(Trace, ReadsTheKalosTraceWithItsStepsAndBytes) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      trace, parseTrace(readTestData("traces/acme-kalos-gang-jobs.csv"), "kalos.csv"));
  EXPECT_EQ(trace.format, "kalos");
  ASSERT_EQ(trace.jobs.size(), 319u);
  // job 0: 8 workers of 8 GPUs, 208 iterations of 0.5 s compute and 0.25 s network.
  const TraceJob& first = trace.jobs.front();
  EXPECT_EQ(first.id, "0");
  EXPECT_EQ(first.line, 2);
  EXPECT_EQ(first.nodes, 8);
  EXPECT_EQ(first.gpusPerNode, 8);
  EXPECT_DOUBLE_EQ(first.computeS, 104);
  EXPECT_EQ(first.steps, 208);
  // A ring at 50 GB/s busbw moves bytes x 2(n-1)/n in 0.25 s.
  EXPECT_NEAR(static_cast<double>(first.bytesPerStep) * 2 * 7 / 8 / 50e9, 0.25, 1e-9);
  int singleNode = 0;
  for (const TraceJob& job : trace.jobs) {
    EXPECT_GE(job.nodes, 1);
    EXPECT_LE(job.nodes, 128);
    if (job.nodes == 1) {
      ++singleNode;
      EXPECT_EQ(job.steps, 0);  // its network time stays in the node: compute
    }
  }
  EXPECT_EQ(singleNode, 89);
  EXPECT_DOUBLE_EQ(trace.jobs[1].submitS, 313);
}

TEST(Trace, ReadsPlainCsvWithAndWithoutHeaderAndSortsBySubmission) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      trace, parseTrace("submit_s,nodes,gpus_per_node,duration_s,bytes_per_step\n"
                        "100,4,8,10.5,1000\n50,1,2,60,0\n",
                        "t.csv", TraceOptions{2.0, 0}));
  EXPECT_EQ(trace.format, "csv");
  ASSERT_EQ(trace.jobs.size(), 2u);
  EXPECT_DOUBLE_EQ(trace.jobs[0].submitS, 0);  // from the first submission
  EXPECT_EQ(trace.jobs[0].gpusPerNode, 2);
  EXPECT_DOUBLE_EQ(trace.jobs[1].submitS, 50);
  EXPECT_EQ(trace.jobs[1].steps, 6);  // ceil(10.5 / 2)
  EXPECT_EQ(trace.jobs[1].bytesPerStep, 1000u);
  EXPECT_EQ(trace.jobs[1].line, 2);

  // Priority by name, before or after bytes_per_step, or alone; 0 where absent.
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      prioritized, parseTrace("submit_s,nodes,gpus_per_node,duration_s,priority,bytes_per_step\n"
                              "0,2,8,10,5,1000\n1,1,8,10,-2,0\n",
                              "t.csv"));
  ASSERT_EQ(prioritized.jobs.size(), 2u);
  EXPECT_EQ(prioritized.jobs[0].priority, 5);
  EXPECT_EQ(prioritized.jobs[0].bytesPerStep, 1000u);
  EXPECT_EQ(prioritized.jobs[1].priority, -2);
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      priorityOnly, parseTrace("submit_s,nodes,gpus_per_node,duration_s,priority\n0,2,8,10,7\n",
                               "t.csv", TraceOptions{1.0, 64}));
  EXPECT_EQ(priorityOnly.jobs[0].priority, 7);
  EXPECT_EQ(priorityOnly.jobs[0].bytesPerStep, 64u) << "--bytes-per-step where no column";
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      sacct, parseTrace("JobID|Submit|Start|End|NNodes|AllocTRES|Priority\n"
                        "7|2024-03-01T00:00:00|2024-03-01T00:01:00|2024-03-01T01:01:00|2|"
                        "gres/gpu=16|4294\n",
                        "s.txt"));
  EXPECT_EQ(sacct.jobs[0].priority, 4294);
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      teams, parseTrace("submit_s,nodes,gpus_per_node,duration_s,team\n0,2,8,10,vision\n", "t"));
  EXPECT_EQ(teams.jobs[0].team, "vision");
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      accounts, parseTrace("JobID|Submit|Start|End|NNodes|AllocTRES|Account\n"
                           "7|2024-03-01T00:00:00|2024-03-01T00:01:00|2024-03-01T01:01:00|2|"
                           "gres/gpu=16|nlp\n",
                           "s.txt"));
  EXPECT_EQ(accounts.jobs[0].team, "nlp");

  TOPOPLAN_ASSERT_OK_AND_ASSIGN(headerless,
                                parseTrace("0,2,8,100\n", "t.csv", TraceOptions{1.0, 4096}));
  ASSERT_EQ(headerless.jobs.size(), 1u);
  EXPECT_EQ(headerless.jobs[0].steps, 100);  // --bytes-per-step for traces without the column
  EXPECT_EQ(headerless.jobs[0].bytesPerStep, 4096u);
}

TEST(Trace, ReadsSacctSkippingStepsJobsThatNeverRanAndCpuJobs) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      trace, parseTrace(readTestData("../fuzz/seeds/trace/sacct.txt"), "sacct.txt"));
  EXPECT_EQ(trace.format, "sacct");
  EXPECT_EQ(trace.skipped, 3);  // 101.batch, 102 (Unknown), 103 (no GPU)
  ASSERT_EQ(trace.jobs.size(), 2u);
  EXPECT_EQ(trace.jobs[0].id, "101");
  EXPECT_EQ(trace.jobs[0].nodes, 2);
  EXPECT_EQ(trace.jobs[0].gpusPerNode, 8);
  EXPECT_DOUBLE_EQ(trace.jobs[0].computeS, 7200);
  EXPECT_EQ(trace.jobs[1].id, "104");
  EXPECT_EQ(trace.jobs[1].gpusPerNode, 4);  // gres/gpu:h100=4
  EXPECT_DOUBLE_EQ(trace.jobs[1].submitS, 65 * 60);
  EXPECT_DOUBLE_EQ(trace.jobs[1].computeS, 3600);
}

TEST(Trace, BadRowsNameTheLineAndTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {"submit_s,nodes,gpus_per_node,duration_s\n0,2,8,10\n5,x,8,10\n",
       "t:3: nodes: 'x': expected a number from 1 to 1000000"},
      {"submit_s,nodes,gpus_per_node,duration_s\n0,2,8\n",
       "t:2: 3 fields, expected 4 as in the header"},
      {"submit_s,nodes,gpus_per_node,duration_s,priority\n0,2,8,10,high\n",
       "t:2: priority: 'high': expected a number"},
      {"submit_s,nodes,gpus_per_node,duration_s,priority,priority\n", "t:1: expected the header"},
      {"submit_s,nodes,gpus_per_node,duration_s,user\n", "t:1: expected the header"},
      {"submit_s,nodes,gpus_per_node,duration_s\n0,2,8,nan\n",
       "t:2: duration_s: 'nan': expected a number from 0"},
      {"submit_s,nodes,gpus,duration_s\n", "t:1: expected the header"},
      {"JobID|Submit|Start|End|NNodes\n", "t:1: header has no column 'AllocTRES'"},
      {"JobID|Submit|Start|End|NNodes|AllocTRES\n1|2024-02-30T00:00:00|2024-03-01T00:00:00|"
       "2024-03-01T01:00:00|1|gres/gpu=8\n",
       "t:2: Submit: '2024-02-30T00:00:00': not a valid date"},
      {"JobID|Submit|Start|End|NNodes|AllocTRES\n1|2024-03-01T00:00:00|2024-03-01T02:00:00|"
       "2024-03-01T01:00:00|1|gres/gpu=8\n",
       "t:2: End is before Start"},
      {"job_id,arrival_time,num_iteration,iteration_computing_time,iteration_networking_time,"
       "gpu_workers,gpu_per_worker\n1,0,10,0.5,0.25,0,8\n",
       "t:2: gpu_workers: '0': expected a number from 1"},
      {"hello world\n", "t:1: not a trace"},
      {"# only a comment\n", "t: no jobs"},
  };
  for (const auto& [text, expected] : cases) {
    auto trace = parseTrace(text, "t");
    ASSERT_FALSE(trace.ok()) << text;
    EXPECT_NE(trace.error().message().find(expected), std::string::npos)
        << trace.error().message() << "\nexpected: " << expected;
  }
}

}  // namespace
}  // namespace topoplan
