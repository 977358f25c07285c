#include "report/documents/replay_document.h"

#include <cmath>
#include <cstdio>

#include "core/document.h"
#include "core/json_fields.h"
#include "core/units.h"

namespace topoplan {
namespace {

nlohmann::ordered_json teamsJson(const std::vector<TeamFigures>& teams) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const TeamFigures& t : teams)
    out.push_back({{"team", t.team},
                   {"jobs", t.jobs},
                   {"queue_s", {{"mean", t.queueMeanS}, {"p99", t.queueP99S}}},
                   {"gpu_h", t.gpuH}});
  return out;
}

nlohmann::ordered_json policyJson(const ReplaySummary& s) {
  nlohmann::ordered_json series = {{"time_s", nlohmann::ordered_json::array()},
                                   {"utilization", nlohmann::ordered_json::array()},
                                   {"fragmentation", nlohmann::ordered_json::array()},
                                   {"partial_leaves", nlohmann::ordered_json::array()}};
  for (const ReplaySample& p : s.series) {
    series["time_s"].push_back(p.timeS);
    series["utilization"].push_back(p.utilization);
    series["fragmentation"].push_back(p.fragmentation);
    series["partial_leaves"].push_back(p.partialLeaves);
  }
  return {{"name", s.policy},
          {"jobs", s.jobs},
          {"started", s.started},
          {"unplaceable", s.unplaceable},
          {"unfinished", s.unfinished},
          {"jct_s", {{"mean", s.jctMeanS}, {"p50", s.jctP50S}, {"p99", s.jctP99S}}},
          {"queue_s", {{"mean", s.queueMeanS}, {"p99", s.queueP99S}}},
          {"makespan_s", s.makespanS},
          {"utilization_mean", s.utilizationMean},
          {"fragmentation_mean", s.fragmentationMean},
          {"partial_leaves_mean", s.partialLeavesMean},
          {"multi_node_gangs", s.multiNodeGangs},
          {"in_leaf_share", s.inLeafShare},
          {"in_pod_share", s.inPodShare},
          {"busbw_mean_gbps", s.busbwMeanGbps},
          {"comm_share", s.commShare},
          {"failures",
           {{"host_failures", s.hostFailures},
            {"restarts", s.restarts},
            {"preemptions", s.preemptions},
            {"allocated_gpu_h", s.allocatedGpuH},
            {"lost_gpu_h", s.lostGpuH},
            {"goodput", s.goodput}}},
          {"teams", teamsJson(s.teams)},
          {"wall_s", s.wallS},
          {"jct_cdf_s", s.jctCdfS},
          {"series", series}};
}

Status readCount(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 int& out) {
  std::uint64_t value = 0;
  TOPOPLAN_TRY(readField(object, where, key, value));
  if (value > 100'000'000) return Error(where + "." + key + ": expected at most 100000000");
  out = static_cast<int>(value);
  return okStatus();
}

// A number >= 0 (a share: at most 1).
Status readFigure(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                  double& out, bool share = false) {
  TOPOPLAN_TRY(readField(object, where, key, out));
  if (!(out >= 0) || (share && out > 1.0 + 1e-9))
    return Error(where + "." + key + ": " + std::to_string(out) + ", expected a " +
                 (share ? "share from 0 to 1" : "number >= 0"));
  return okStatus();
}

Result<ReplaySummary> readPolicy(const nlohmann::ordered_json& p, const std::string& where) {
  if (!p.is_object()) return Error(where + ": expected an object");
  ReplaySummary s;
  TOPOPLAN_TRY(readField(p, where, "name", s.policy));
  TOPOPLAN_TRY(readCount(p, where, "jobs", s.jobs));
  TOPOPLAN_TRY(readCount(p, where, "started", s.started));
  if (p.contains("unfinished")) TOPOPLAN_TRY(readCount(p, where, "unfinished", s.unfinished));
  auto jct = objectField(p, where, "jct_s");
  if (!jct) return jct.error();
  TOPOPLAN_TRY(readFigure(**jct, where + ".jct_s", "mean", s.jctMeanS));
  TOPOPLAN_TRY(readFigure(**jct, where + ".jct_s", "p50", s.jctP50S));
  TOPOPLAN_TRY(readFigure(**jct, where + ".jct_s", "p99", s.jctP99S));
  auto queue = objectField(p, where, "queue_s");
  if (!queue) return queue.error();
  TOPOPLAN_TRY(readFigure(**queue, where + ".queue_s", "mean", s.queueMeanS));
  TOPOPLAN_TRY(readFigure(**queue, where + ".queue_s", "p99", s.queueP99S));
  TOPOPLAN_TRY(readFigure(p, where, "makespan_s", s.makespanS));
  TOPOPLAN_TRY(readFigure(p, where, "utilization_mean", s.utilizationMean, true));
  TOPOPLAN_TRY(readFigure(p, where, "fragmentation_mean", s.fragmentationMean, true));
  // Optional figures (a document need only carry the ones above).
  if (p.contains("partial_leaves_mean"))
    TOPOPLAN_TRY(readFigure(p, where, "partial_leaves_mean", s.partialLeavesMean, true));
  if (p.contains("in_leaf_share"))
    TOPOPLAN_TRY(readFigure(p, where, "in_leaf_share", s.inLeafShare, true));
  if (p.contains("in_pod_share"))
    TOPOPLAN_TRY(readFigure(p, where, "in_pod_share", s.inPodShare, true));
  if (p.contains("busbw_mean_gbps"))
    TOPOPLAN_TRY(readFigure(p, where, "busbw_mean_gbps", s.busbwMeanGbps));
  if (p.contains("failures")) {
    auto failures = objectField(p, where, "failures");
    if (!failures) return failures.error();
    const std::string at = where + ".failures";
    TOPOPLAN_TRY(readCount(**failures, at, "host_failures", s.hostFailures));
    TOPOPLAN_TRY(readCount(**failures, at, "restarts", s.restarts));
    if ((*failures)->contains("preemptions"))
      TOPOPLAN_TRY(readCount(**failures, at, "preemptions", s.preemptions));
    TOPOPLAN_TRY(readFigure(**failures, at, "allocated_gpu_h", s.allocatedGpuH));
    TOPOPLAN_TRY(readFigure(**failures, at, "lost_gpu_h", s.lostGpuH));
    TOPOPLAN_TRY(readFigure(**failures, at, "goodput", s.goodput, true));
  }
  if (p.contains("teams")) {
    const auto& teams = p["teams"];
    if (!teams.is_array()) return Error(where + ".teams: expected an array");
    for (std::size_t i = 0; i < teams.size(); ++i) {
      const std::string at = where + ".teams[" + std::to_string(i) + "]";
      if (!teams[i].is_object()) return Error(at + ": expected an object");
      TeamFigures t;
      TOPOPLAN_TRY(readField(teams[i], at, "team", t.team));
      TOPOPLAN_TRY(readCount(teams[i], at, "jobs", t.jobs));
      auto queue = objectField(teams[i], at, "queue_s");
      if (!queue) return queue.error();
      TOPOPLAN_TRY(readFigure(**queue, at + ".queue_s", "mean", t.queueMeanS));
      TOPOPLAN_TRY(readFigure(**queue, at + ".queue_s", "p99", t.queueP99S));
      TOPOPLAN_TRY(readFigure(teams[i], at, "gpu_h", t.gpuH));
      s.teams.push_back(std::move(t));
    }
  }
  if (p.contains("jct_cdf_s"))
    TOPOPLAN_TRY(readNonNegativeNumbers(p, where, "jct_cdf_s", s.jctCdfS));
  if (p.contains("series")) {
    auto series = objectField(p, where, "series");
    if (!series) return series.error();
    const std::string at = where + ".series";
    std::vector<double> time, utilization, fragmentation, partial;
    TOPOPLAN_TRY(readNonNegativeNumbers(**series, at, "time_s", time));
    TOPOPLAN_TRY(readNonNegativeNumbers(**series, at, "utilization", utilization));
    TOPOPLAN_TRY(readNonNegativeNumbers(**series, at, "fragmentation", fragmentation));
    TOPOPLAN_TRY(readNonNegativeNumbers(**series, at, "partial_leaves", partial));
    if (utilization.size() != time.size() || fragmentation.size() != time.size() ||
        partial.size() != time.size())
      return Error(at +
                   ": utilization, fragmentation and partial_leaves must have as many "
                   "values as time_s (" +
                   std::to_string(time.size()) + ")");
    for (std::size_t i = 0; i < time.size(); ++i)
      s.series.push_back({time[i], utilization[i], fragmentation[i], partial[i]});
  }
  return s;
}

}  // namespace

nlohmann::ordered_json replayDocument(const ReplayReport& report,
                                      const std::vector<std::string>& argv) {
  nlohmann::ordered_json document = makeDocumentHeader("replay", 1, argv, {});
  document["cluster"] = report.cluster;
  document["trace"] = {{"source", report.trace},
                       {"format", report.traceFormat},
                       {"jobs", report.traceJobs},
                       {"skipped_rows", report.traceSkipped}};
  document["queue"] = report.queue;
  document["arrival_scale"] = report.arrivalScale;
  document["failures"] = report.failures.empty() ? nlohmann::ordered_json(nullptr)
                                                 : nlohmann::ordered_json(report.failures);
  document["policies"] = nlohmann::ordered_json::array();
  for (const ReplaySummary& s : report.policies) document["policies"].push_back(policyJson(s));
  return document;
}

Result<ReplayReport> readReplayDocument(const nlohmann::ordered_json& document,
                                        const std::string& source) {
  ReplayReport report;
  TOPOPLAN_TRY(readField(document, source, "cluster", report.cluster));
  auto trace = objectField(document, source, "trace");
  if (!trace) return trace.error();
  TOPOPLAN_TRY(readField(**trace, source + ".trace", "source", report.trace));
  TOPOPLAN_TRY(readField(**trace, source + ".trace", "format", report.traceFormat));
  TOPOPLAN_TRY(readCount(**trace, source + ".trace", "jobs", report.traceJobs));
  TOPOPLAN_TRY(readField(document, source, "queue", report.queue));
  if (report.queue != "fifo" && report.queue != "easy" && report.queue != "fairshare")
    return Error(source + ".queue: '" + report.queue + "', expected fifo, easy or fairshare");
  if (const auto failures = document.find("failures");
      failures != document.end() && !failures->is_null())
    TOPOPLAN_TRY(readField(document, source, "failures", report.failures));
  auto policies = arrayField(document, source, "policies");
  if (!policies) return policies.error();
  for (std::size_t i = 0; i < (*policies)->size(); ++i) {
    auto policy = readPolicy((**policies)[i], source + ".policies[" + std::to_string(i) + "]");
    if (!policy) return policy.error();
    report.policies.push_back(std::move(*policy));
  }
  if (report.policies.empty()) return Error(source + ".policies: expected at least one policy");
  return report;
}

std::string replayJobsCsv(const ReplayReport& report) {
  std::string out =
      "policy,job,submit_s,start_s,end_s,queue_s,nodes,gpus_per_node,runs,restarts,preemptions,"
      "hosts\n";
  auto seconds = [](double s) { return s < 0 ? std::string() : formatted("%.3f", s); };
  for (const ReplayJobRow& r : report.jobs) {
    // A job id or hostlist with a comma or quote is quoted, as CSV does.
    auto field = [](const std::string& text) {
      if (text.find_first_of(",\"\n") == std::string::npos) return text;
      std::string quoted = "\"";
      for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      return quoted + "\"";
    };
    out += field(r.policy) + "," + field(r.job) + "," + seconds(r.submitS) + "," +
           seconds(r.startS) + "," + seconds(r.endS) + "," +
           (r.startS < 0 ? std::string() : seconds(r.startS - r.submitS)) + "," +
           std::to_string(r.nodes) + "," + std::to_string(r.gpusPerNode) + "," +
           std::to_string(r.runs) + "," + std::to_string(r.restarts) + "," +
           std::to_string(r.preemptions) + "," + field(r.hosts) + "\n";
  }
  return out;
}

std::string queueText(const std::string& queue) {
  return queue == "easy"        ? "EASY backfill"
         : queue == "fairshare" ? "EASY backfill, fair share"
                                : "FIFO";
}

std::string replayTable(const ReplayReport& r) {
  std::string out = "# replay of " + r.trace + " (" + r.traceFormat + ", " +
                    std::to_string(r.traceJobs) + " jobs" +
                    (r.arrivalScale != 1 ? ", arrivals x" + formatted("%g", r.arrivalScale) : "") +
                    ") on " + r.cluster + ", " + queueText(r.queue) + "\n";
  out +=
      "# times in hours; util, frag (free GPUs the first waiting gang cannot use), leaves\n"
      "# partly used: time means; in-leaf, in-pod and busbw: of multi-node gangs\n";
  const bool failures = !r.failures.empty();
  if (failures)
    out += "# interruptions: " + r.failures +
           "; restarts: runs a failure ended; preempt: runs a job of higher priority ended; "
           "lost: GPU-hours of work lost; goodput: useful GPU-hours / allocated\n";
  char line[320];
  std::snprintf(line, sizeof line, "%-15s %8s %8s %8s %8s %8s %9s %6s %6s %7s %7s %7s %8s %6s",
                "#policy", "jct_mean", "jct_p50", "jct_p99", "q_mean", "q_p99", "makespan", "util",
                "frag", "part.lf", "in-leaf", "in-pod", "busbw", "comm");
  out += line;
  if (failures) {
    std::snprintf(line, sizeof line, " %8s %8s %8s %8s", "restarts", "preempt", "lost", "goodput");
    out += line;
  }
  out += "\n";
  const ReplaySummary* bestFit = nullptr;
  const ReplaySummary* ours = nullptr;
  for (const ReplaySummary& s : r.policies) {
    if (s.policy == "best-fit") bestFit = &s;
    if (s.policy == "topoplan") ours = &s;
    std::snprintf(line, sizeof line,
                  "%-15s %8.2f %8.2f %8.2f %8.2f %8.2f %9.2f %5.1f%% %5.2f%% %6.1f%% %6.1f%% "
                  "%6.1f%% %8.2f %5.1f%%",
                  s.policy.c_str(), s.jctMeanS / 3600, s.jctP50S / 3600, s.jctP99S / 3600,
                  s.queueMeanS / 3600, s.queueP99S / 3600, s.makespanS / 3600,
                  100 * s.utilizationMean, 100 * s.fragmentationMean, 100 * s.partialLeavesMean,
                  100 * s.inLeafShare, 100 * s.inPodShare, s.busbwMeanGbps, 100 * s.commShare);
    out += line;
    if (failures) {
      std::snprintf(line, sizeof line, " %8d %8d %8.1f %7.1f%%", s.restarts, s.preemptions,
                    s.lostGpuH, 100 * s.goodput);
      out += line;
    }
    out += "\n";
  }
  for (const ReplaySummary& s : r.policies) {
    if (s.teams.empty()) continue;
    out += "# " + s.policy + " per team (jobs, mean and p99 queueing in hours, GPU-hours):";
    for (const TeamFigures& t : s.teams)
      out += "  " + (t.team.empty() ? std::string("(none)") : t.team) + " " +
             std::to_string(t.jobs) + formatted(" %.2f", t.queueMeanS / 3600) +
             formatted(" %.2f", t.queueP99S / 3600) + formatted(" %.0f", t.gpuH);
    out += "\n";
  }
  for (const ReplaySummary& s : r.policies)
    if (s.unfinished > 0)
      out += "# " + s.policy + ": " + std::to_string(s.unfinished) +
             " job(s) never finished (given up after repeated failures, or waiting for hosts "
             "that failed)\n";
  if (ours && bestFit) {
    auto ratio = [](double a, double b) { return b > 0 ? formatted("%.3fx", a / b) : "n/a"; };
    out += "# topoplan / best-fit: jct mean " + ratio(ours->jctMeanS, bestFit->jctMeanS) +
           ", queue mean " + ratio(ours->queueMeanS, bestFit->queueMeanS) + ", makespan " +
           ratio(ours->makespanS, bestFit->makespanS) + ", fragmentation " +
           ratio(ours->fragmentationMean, bestFit->fragmentationMean) + ", partial leaves " +
           ratio(ours->partialLeavesMean, bestFit->partialLeavesMean) + ", busbw " +
           ratio(ours->busbwMeanGbps, bestFit->busbwMeanGbps) +
           " (below 1 is better, busbw above)\n";
  }
  return out;
}

}  // namespace topoplan
