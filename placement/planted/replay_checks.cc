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
  if (s.started + s.unplaceable != static_cast<int>(jobs.size()))
    fail(std::to_string(s.started) + " started + " + std::to_string(s.unplaceable) +
         " too large, of " + std::to_string(jobs.size()) + " jobs");
  std::map<double, std::vector<std::pair<int, int>>> changes;  // time: (host, +-gpus)
  double gpuSeconds = 0, lastStart = 0;
  for (const ReplayJob& j : run.jobs) {
    if (j.startS < 0) continue;
    const TraceJob& t = jobs[static_cast<std::size_t>(j.job)];
    const std::string job = "job " + std::to_string(j.job);
    if (j.startS < t.submitS) fail(job + " started before it was submitted");
    if (std::abs(j.endS - (j.startS + t.computeS + j.commS)) > 1e-6 * (1 + j.endS))
      fail(job + " did not run for compute + communication");
    if (fifo && j.startS < lastStart) fail(job + " started before an earlier job (FIFO)");
    lastStart = std::max(lastStart, j.startS);
    const std::set<int> hosts(j.hosts.begin(), j.hosts.end());
    if (hosts.size() != j.hosts.size() || static_cast<int>(hosts.size()) != t.nodes)
      fail(job + " ran on " + std::to_string(hosts.size()) + " distinct hosts, asked " +
           std::to_string(t.nodes));
    for (int h : hosts) {
      if (h < 0 || h >= static_cast<int>(topology.hosts().size())) {
        fail(job + " ran on host " + std::to_string(h) + ", which does not exist");
        return violations;
      }
      changes[j.startS].emplace_back(h, t.gpusPerNode);
      changes[j.endS].emplace_back(h, -t.gpusPerNode);
    }
    gpuSeconds += (j.endS - j.startS) * t.nodes * t.gpusPerNode;
  }
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
