#include "placement/planted/replay_checks.h"

#include <cmath>
#include <map>
#include <set>

namespace topoplan {

std::vector<std::string> replayViolations(const Topology& topology,
                                          const std::vector<TraceJob>& jobs, const ReplayRun& run,
                                          bool fifo) {
  std::vector<std::string> violations;
  auto fail = [&](const std::string& what) { violations.push_back(what); };
  const ReplaySummary& s = run.summary;
  // Jobs may stay unfinished only where hosts failed.
  if (s.started + s.unplaceable + s.unfinished != static_cast<int>(jobs.size()) ||
      (s.unfinished > 0 && run.downtimes.empty()))
    fail(std::to_string(s.started) + " completed + " + std::to_string(s.unplaceable) +
         " too large + " + std::to_string(s.unfinished) + " unfinished, of " +
         std::to_string(jobs.size()) + " jobs");
  std::map<double, std::vector<std::pair<int, int>>> changes;  // time: (host, +-gpus)
  double gpuSeconds = 0, lostGpuS = 0;
  std::map<long long, double> lastStart;  // per priority
  int restarts = 0, preemptions = 0;
  // Per start time, the hosts and priority of each run that starts then (for preemptions).
  std::map<double, std::vector<std::pair<std::set<int>, long long>>> startsAt;
  for (const ReplayJob& j : run.jobs) {
    for (const ReplayAttempt& a : j.attempts)
      startsAt[a.startS].emplace_back(std::set<int>(a.hosts.begin(), a.hosts.end()),
                                      jobs[static_cast<std::size_t>(j.job)].priority);
  }
  for (const ReplayJob& j : run.jobs) {
    if (j.startS < 0) continue;
    const TraceJob& t = jobs[static_cast<std::size_t>(j.job)];
    const std::string job = "job " + std::to_string(j.job);
    const double gpus = t.nodes * t.gpusPerNode;
    if (j.startS < t.submitS) fail(job + " started before it was submitted");
    double& last = lastStart[t.priority];
    if (fifo && j.startS < last)
      fail(job + " started before an earlier job of its priority (FIFO)");
    last = std::max(last, j.startS);
    const bool complete = j.endS >= 0;
    if (j.attempts.empty() || j.attempts.front().startS != j.startS ||
        (complete && (j.attempts.back().failed || j.attempts.back().preempted ||
                      j.attempts.back().endS != j.endS || j.attempts.back().progressEnd != 1)) ||
        (!complete &&
         (run.downtimes.empty() || !(j.attempts.back().failed || j.attempts.back().preempted)))) {
      fail(job + ": its runs do not begin at its start and end complete at its end");
      continue;
    }
    double progress = 0, lost = 0, lastEnd = t.submitS;
    int failed = 0, preempted = 0;
    for (const ReplayAttempt& a : j.attempts) {
      const bool stopped = a.failed || a.preempted;
      const double work = t.computeS + a.commS, ran = a.endS - a.startS;
      const double slack = 1e-6 * (1 + a.endS);
      if (a.progressStart != progress || a.startS < lastEnd)
        fail(job + ": a run does not go on from where the one before ended");
      if (!stopped && std::abs(ran - (1 - a.progressStart) * work) > slack)
        fail(job + " did not run for the rest of its compute + communication");
      if (stopped && (a.progressEnd < a.progressStart ||
                      (a.progressEnd - a.progressStart) * work > ran + slack))
        fail(job + " saved more work than it ran");
      if (stopped) {
        ++(a.failed ? failed : preempted);
        lost += (ran - (a.progressEnd - a.progressStart) * work) * gpus;
      }
      if (a.failed && a.preempted) fail(job + ": a run both failed and was preempted");
      if (a.preempted) {  // a job of higher priority starts on one of its hosts as it stops
        bool taken = false;
        for (const auto& [hosts, priority] : startsAt[a.endS]) {
          for (int h : a.hosts) taken = taken || (priority > t.priority && hosts.count(h) > 0);
        }
        if (!taken)
          fail(job + ": preempted at " + std::to_string(a.endS) +
               " s with no job of higher priority starting on its hosts");
      }
      progress = a.progressEnd;
      lastEnd = a.endS;
      const std::set<int> hosts(a.hosts.begin(), a.hosts.end());
      if (hosts.size() != a.hosts.size() || static_cast<int>(hosts.size()) != t.nodes)
        fail(job + " ran on " + std::to_string(hosts.size()) + " distinct hosts, asked " +
             std::to_string(t.nodes));
      for (int h : hosts) {
        if (h < 0 || h >= static_cast<int>(topology.hosts().size())) {
          fail(job + " ran on host " + std::to_string(h) + ", which does not exist");
          return violations;
        }
        changes[a.startS].emplace_back(h, t.gpusPerNode);
        changes[a.endS].emplace_back(h, -t.gpusPerNode);
        for (const HostFailure& d : run.downtimes) {
          if (d.host != h || d.downS >= a.endS || d.upS <= a.startS) continue;
          if (!(a.failed && a.endS == d.downS && a.startS < d.downS))
            fail(job + " ran on host " + std::to_string(h) + " while it was down");
        }
      }
      gpuSeconds += ran * gpus;
    }
    if (failed != j.restarts) fail(job + ": restarts are not its failed runs");
    if (preempted != j.preemptions) fail(job + ": preemptions are not its preempted runs");
    preemptions += j.preemptions;
    if (std::abs(lost - j.lostGpuS) > 1e-6 * (1 + lost)) fail(job + ": lost GPU-seconds");
    restarts += j.restarts;
    lostGpuS += j.lostGpuS;
  }
  if (restarts != s.restarts || preemptions != s.preemptions)
    fail("the summary's restarts or preemptions are not the jobs'");
  if (std::abs(s.allocatedGpuH * 3600 - gpuSeconds) > 1e-6 * (1 + gpuSeconds) ||
      std::abs(s.lostGpuH * 3600 - lostGpuS) > 1e-6 * (1 + lostGpuS))
    fail("allocated or lost GPU-hours are not the runs'");
  std::vector<int> used(topology.hosts().size(), 0);
  for (const auto& [time, deltas] : changes) {
    for (const auto& [h, d] : deltas) used[static_cast<std::size_t>(h)] += d < 0 ? d : 0;
    for (const auto& [h, d] : deltas) used[static_cast<std::size_t>(h)] += d > 0 ? d : 0;
    for (std::size_t h = 0; h < used.size(); ++h) {
      if (used[h] < 0 || used[h] > topology.hosts()[h].gpus)
        fail("host " + std::to_string(h) + " holds " + std::to_string(used[h]) + " GPUs at " +
             std::to_string(time) + " s");
    }
  }
  const double integral =
      s.utilizationMean * static_cast<double>(topology.gpuCount()) * s.makespanS;
  if (std::abs(integral - gpuSeconds) > 1e-6 * (1 + gpuSeconds))
    fail("the utilization integral " + std::to_string(integral) + " is not the jobs' " +
         std::to_string(gpuSeconds) + " GPU-seconds");
  return violations;
}

}  // namespace topoplan
