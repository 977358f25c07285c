#include "report/documents/replay_study.h"

#include "core/atomic_file.h"

namespace topoplan {

Result<ReplayReport> runReplayStudy(const ReplayStudy& study) {
  auto cluster = loadCluster(study.cluster, study.load);
  if (!cluster) return cluster.error();
  auto text = readFile(study.trace);
  if (!text) return text.error();
  auto trace = parseTrace(*text, study.trace, study.traceOptions);
  if (!trace) return trace.error();
  for (TraceJob& job : trace->jobs) job.submitS *= study.arrivalScale;
  ReplayReport report{study.cluster,
                      study.trace,
                      trace->format,
                      static_cast<int>(trace->jobs.size()),
                      trace->skipped,
                      study.backfill ? "easy" : "fifo",
                      study.arrivalScale,
                      {},
                      calibrationNote(*cluster)};
  for (const std::string& policy : study.policies) {
    ReplayOptions options;
    options.policy = policy;
    options.backfill = study.backfill;
    options.backfillDepth = study.backfillDepth;
    options.seed = study.seed;
    auto run =
        replay(*cluster->topology, *cluster->cost, cluster->degradedHosts, trace->jobs, options);
    if (!run) return run.error();
    report.policies.push_back(std::move(run->summary));
  }
  return report;
}

}  // namespace topoplan
