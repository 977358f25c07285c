// `topoplan replay` as a library call: loads the cluster and the trace, replays the trace under
// each policy asked for, and returns the records the table, the document and the HTML panel
// are drawn from.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "placement/whatif/trace.h"
#include "report/documents/cluster_input.h"
#include "report/documents/replay_document.h"

namespace topoplan {

struct ReplayStudy {
  std::string cluster;  // as `place` takes it
  ClusterOptions load;
  std::string trace;  // a trace file (placement/trace.h)
  TraceOptions traceOptions;
  std::vector<std::string> policies;  // names from kReplayPolicies
  bool backfill = false;
  int backfillDepth = 100;
  double arrivalScale = 1;  // submit times are multiplied by it (0.5: arrivals twice as dense)
  unsigned seed = 1;
  // Failures (placement/whatif/replay.h): drawn with these means, and/or read from a log.
  double mtbfH = 0, mttrH = 1;
  double degradedFailureFactor = 1;
  std::string failureLog;  // CSV host,down_s,up_s
  double checkpointMin = 0;
  bool preempt = false;  // whole-gang preemption by the trace's priorities
  // Fair share (EASY backfill, the queue ordered by the teams' fair-share factors).
  bool fairShare = false;
  double fairShareHalfLifeH = 7 * 24;
  std::map<std::string, double> teamShares;
  bool jobRows = false;  // keep every job's outcome (ReplayReport::jobs, for --jobs-csv)
};

// Errors are bad input (exit 2) and name the file, line or field.
Result<ReplayReport> runReplayStudy(const ReplayStudy& study);

}  // namespace topoplan
