// Replay: an event-driven simulation of a job trace on a cluster under one placement policy.
//
// Jobs arrive at their submit time and wait in submission order. The scheduler starts the
// first waiting job as soon as the policy finds it an all-or-nothing gang on the free state
// (FIFO); with EASY backfill, later jobs may start ahead of a blocked first job when they end
// before its reservation or use only hosts it will not need (counted as in EASY: hosts that
// will fit the first job at its reservation, beyond what it needs). Backfill looks at most
// `backfillDepth` jobs down the queue, as Slurm's bf_max_job_test.
//
// A job runs for its compute time plus steps x the cost model's AllReduce (ring) time on the
// hosts it was given, so a worse placement runs longer. Run times are known exactly when the
// job starts (perfect estimates for backfill). Not modelled: failures, preemption, other jobs'
// traffic on shared links (predictions are for an idle fabric).
//
// Policies: "topoplan" (planGang: measured bandwidth first; degraded hosts only for a gang the
// healthy hosts could never hold, else the job waits for healthy ones),
// and the baselines "best-fit", "spread", "first-fit", "random" (baselines.h).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "placement/cost_model.h"
#include "placement/topology.h"
#include "placement/whatif/trace.h"

namespace topoplan {

struct ReplayOptions {
  std::string policy = "topoplan";
  bool backfill = false;  // EASY backfill (else strict FIFO)
  int backfillDepth = 100;
  unsigned seed = 1;       // the random policy's
  int seriesPoints = 200;  // samples kept of the curves
};

// The state at one time: shares of all GPUs busy, and free but useless to the first waiting
// gang (on hosts with fewer free GPUs than it needs per host); the share of leaf domains partly
// used (some GPUs busy, some free).
struct ReplaySample {
  double timeS = 0;
  double utilization = 0;
  double fragmentation = 0;
  double partialLeaves = 0;
};

struct ReplayJob {
  int job = 0;  // index in the trace
  double submitS = 0;
  double startS = -1, endS = -1;  // -1: never started
  double commS = 0;               // communication time within the run
  double busbwGbps = 0;           // predicted for its gang (multi-node jobs)
  int domainLevel = -1;           // the finest level holding the gang (-1: the whole cluster)
  std::vector<int> hosts;         // the gang
};

struct ReplaySummary {
  std::string policy;
  int jobs = 0, started = 0, unplaceable = 0;  // unplaceable: bigger than the cluster
  double jctMeanS = 0, jctP50S = 0, jctP99S = 0;
  double queueMeanS = 0, queueP99S = 0;
  double makespanS = 0;
  double utilizationMean = 0, fragmentationMean = 0, partialLeavesMean = 0;  // time means
  int multiNodeGangs = 0;
  double inLeafShare = 0, inPodShare = 0;  // of multi-node gangs
  double busbwMeanGbps = 0;                // of multi-node gangs
  double commShare = 0;                    // communication / run time, over all jobs
  std::vector<double> jctCdfS;             // the 0th, 1st, ..., 100th percentile
  std::vector<ReplaySample> series;        // at most seriesPoints, evenly spaced in time
  double wallS = 0;                        // how long the replay took to compute
};

struct ReplayRun {
  ReplaySummary summary;
  std::vector<ReplayJob> jobs;  // per trace job
};

// The policies, in the order `--policy all` runs them.
inline constexpr std::string_view kReplayPolicies[] = {"topoplan", "best-fit", "spread",
                                                       "first-fit", "random"};

// Errors: an unknown policy, a job without nodes or GPUs, a negative time.
Result<ReplayRun> replay(const Topology& topology, const CostModel& cost,
                         const std::set<int>& degradedHosts, const std::vector<TraceJob>& jobs,
                         const ReplayOptions& options);

}  // namespace topoplan
