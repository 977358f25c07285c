// The topoplan.replay/v1 document: a trace replayed on a cluster under several placement
// policies (placement/replay.h), with each policy's figures, its JCT distribution and its
// utilization and fragmentation curves; and the console table of the same records.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "placement/whatif/replay.h"

namespace topoplan {

// One job's outcome under one policy (the rows of `replay --jobs-csv`).
struct ReplayJobRow {
  std::string policy, job;                     // the trace's job id
  double submitS = 0, startS = -1, endS = -1;  // -1: never started, never completed
  int nodes = 0, gpusPerNode = 0, runs = 0, restarts = 0, preemptions = 0;
  std::string hosts;  // of its last run, as a hostlist
};

struct ReplayReport {
  std::string cluster;
  std::string trace, traceFormat;
  int traceJobs = 0, traceSkipped = 0;
  std::string queue = "fifo";  // "fifo" or "easy"
  double arrivalScale = 1;
  std::string failures;  // how failures and preemption were modelled, in words ("" when neither)
  std::vector<ReplaySummary> policies;
  std::string calibrationNote;     // a calibration kept beside the cluster (cluster_input.h)
  std::vector<ReplayJobRow> jobs;  // per policy, per trace job, when asked (not in the document)
};

nlohmann::ordered_json replayDocument(const ReplayReport& report,
                                      const std::vector<std::string>& argv);

// Validates every field it returns; errors name the source and the field.
Result<ReplayReport> readReplayDocument(const nlohmann::ordered_json& document,
                                        const std::string& source);

// The queue rule in words: "FIFO", "EASY backfill" or "EASY backfill, fair share".
std::string queueText(const std::string& queue);

// CSV, a header line and a row per job and policy: policy,job,submit_s,start_s,end_s,queue_s,
// nodes,gpus_per_node,runs,restarts,preemptions,hosts (start_s, end_s and queue_s empty where
// the job never started or never completed).
std::string replayJobsCsv(const ReplayReport& report);

// One row per policy, and the ratios of topoplan's figures to best-fit's when both ran.
std::string replayTable(const ReplayReport& report);

}  // namespace topoplan
