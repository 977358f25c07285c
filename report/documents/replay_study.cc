#include "report/documents/replay_study.h"

#include "core/atomic_file.h"
#include "core/units.h"
#include "placement/hostlist.h"

namespace topoplan {

namespace {

// How failures and preemption were modelled, in words ("" when neither was).
std::string interruptionsText(const ReplayStudy& study, std::size_t logged) {
  if (study.mtbfH <= 0 && study.failureLog.empty() && !study.preempt) return "";
  std::string text;
  if (study.mtbfH > 0)
    text = formatted("MTBF %g h per host", study.mtbfH) + formatted(", MTTR %g h", study.mttrH) +
           (study.degradedFailureFactor != 1
                ? formatted(", degraded hosts %gx as often", study.degradedFailureFactor)
                : "");
  if (!study.failureLog.empty())
    text += (text.empty() ? "" : "; ") + std::to_string(logged) + " from " + study.failureLog;
  if (study.preempt)
    text += std::string(text.empty() ? "" : "; ") + "whole-gang preemption by priority";
  return text + (study.checkpointMin > 0
                     ? formatted("; a checkpoint every %g min", study.checkpointMin)
                     : "; no checkpoints (a stopped job starts over)");
}

}  // namespace

Result<ReplayReport> runReplayStudy(const ReplayStudy& study) {
  auto cluster = loadCluster(study.cluster, study.load);
  if (!cluster) return cluster.error();
  auto text = readFile(study.trace);
  if (!text) return text.error();
  auto trace = parseTrace(*text, study.trace, study.traceOptions);
  if (!trace) return trace.error();
  for (TraceJob& job : trace->jobs) job.submitS *= study.arrivalScale;
  std::vector<HostFailure> failures;
  if (!study.failureLog.empty()) {
    auto log = readFile(study.failureLog);
    if (!log) return log.error();
    auto parsed = parseFailureLog(*log, study.failureLog, *cluster->topology);
    if (!parsed) return parsed.error();
    failures = std::move(*parsed);
  }
  ReplayReport report{study.cluster,
                      study.trace,
                      trace->format,
                      static_cast<int>(trace->jobs.size()),
                      trace->skipped,
                      study.fairShare  ? "fairshare"
                      : study.backfill ? "easy"
                                       : "fifo",
                      study.arrivalScale,
                      interruptionsText(study, failures.size()),
                      {},
                      calibrationNote(*cluster),
                      {}};
  for (const std::string& policy : study.policies) {
    ReplayOptions options;
    options.policy = policy;
    options.backfill = study.backfill;
    options.backfillDepth = study.backfillDepth;
    options.seed = study.seed;
    options.mtbfS = study.mtbfH * 3600;
    options.mttrS = study.mttrH * 3600;
    options.degradedFailureFactor = study.degradedFailureFactor;
    options.failures = failures;
    options.checkpointS = study.checkpointMin * 60;
    options.preempt = study.preempt;
    options.fairShare = study.fairShare;
    options.fairShareHalfLifeS = study.fairShareHalfLifeH * 3600;
    options.teamShares = study.teamShares;
    auto run =
        replay(*cluster->topology, *cluster->cost, cluster->degradedHosts, trace->jobs, options);
    if (!run) return run.error();
    if (study.jobRows) {
      for (const ReplayJob& j : run->jobs) {
        const TraceJob& t = trace->jobs[static_cast<std::size_t>(j.job)];
        std::vector<std::string> names;
        for (int h : j.hosts)
          names.push_back(cluster->topology->hosts()[static_cast<std::size_t>(h)].name);
        report.jobs.push_back({policy, t.id, j.submitS, j.startS, j.endS, t.nodes, t.gpusPerNode,
                               static_cast<int>(j.attempts.size()), j.restarts, j.preemptions,
                               compressHostlist(names)});
      }
    }
    report.policies.push_back(std::move(run->summary));
  }
  return report;
}

}  // namespace topoplan
