// Replay: an event-driven simulation of a job trace on a cluster under one placement policy.
//
// Jobs arrive at their submit time and wait by priority (higher first; the trace's, 0 where it
// has none), then in submission order. The scheduler starts the
// first waiting job as soon as the policy finds it an all-or-nothing gang on the free state
// (FIFO); with EASY backfill, later jobs may start ahead of a blocked first job when they end
// before its reservation or use only hosts it will not need (counted as in EASY: hosts that
// will fit the first job at its reservation, beyond what it needs). Backfill looks at most
// `backfillDepth` jobs down the queue, as Slurm's bf_max_job_test.
//
// A job runs for its compute time plus steps x the cost model's AllReduce (ring) time on the
// hosts it was given, so a worse placement runs longer. Run times are known exactly when the
// job starts (perfect estimates for backfill). Not modelled: other jobs' traffic on shared links
// (predictions are for an idle fabric).
//
// Preemption (`preempt`): a first waiting job that finds no gang on the free state may stop
// running jobs of lower priority, whole, as Slurm's PreemptMode=REQUEUE does: the lowest
// priority first, among equals the one that started last (the least work lost). The policy's
// gang is sought on the free state with those jobs' GPUs added, one job more at a time, and the
// jobs that hold a host of the gang it finds are stopped; each loses the work since its last
// checkpoint and waits again, as after a failure (below), without counting against maxRestarts.
//
// Failures: a host goes down at a failure (drawn per host with mean time between failures
// `mtbfS`, degraded hosts `degradedFailureFactor` times as often, or listed in `failures`) and
// comes back after its repair (drawn with mean `mttrS`, or listed). Every job with a worker on it
// dies with it, whole: it loses the work since its last checkpoint (one every `checkpointS` of
// run time; 0: none, it starts over) and goes back to the queue in submission order, to run the
// rest of its work on whatever gang it gets next (in its place in the queue: by priority, then
// submission).
//
// Fair share (`fairShare`), as Slurm's priority/multifactor plugin computes its classic factor:
// each team's usage is the GPU-seconds its jobs ran, decayed with a half-life (every second by
// 1 - 0.693 / half-life, as Slurm's decay thread does, PriorityDecayHalfLife, 7 days by default);
// a team's factor is 2^-(its share of all usage / its share of all shares), shares equal unless
// given. Waiting jobs are ordered by priority, then by their team's factor (higher first), then
// by submission; jobs without a team form a team "" of their own.
//
// Policies: "topoplan-greedy" (planGang on the hosts free now: measured bandwidth first; degraded
// hosts only for a gang the healthy hosts could never hold, else the job waits for healthy ones);
// "topoplan", the same planner looking ahead: a multi-node job whose best gang now is slower
// than the best it could ever have waits when a better gang frees up, as the running jobs end,
// soon enough for it to end sooner there (weighed at the ends within the communication time it
// would save, at most 16); while the first waiting job waits so, its reservation is that gang's
// hosts from that time, and backfill starts later jobs that end by then or stay off them (the
// waiting job is otherwise as blocked, and FIFO stays FIFO). A decision to wait stands until its
// gang is due, unless a host fails or comes back or a better gang is free by then. Run times are
// known when a job is weighed, as for backfill (Slurm's time limits). And the baselines
// "best-fit", "spread", "first-fit", "random" (baselines.h).
#pragma once

#include <map>
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
  // Failures (see above): drawn when mtbfS > 0 (seeded by `seed`), and those listed.
  double mtbfS = 0, mttrS = 3600;
  double degradedFailureFactor = 1;
  std::vector<HostFailure> failures;
  double checkpointS = 0;
  int maxRestarts = 100;   // a job that failed this often is given up (counted unfinished)
  bool preempt = false;    // whole-gang preemption by priority (see above)
  bool fairShare = false;  // order by the teams' fair-share factors after priority (see above)
  double fairShareHalfLifeS = 7 * 86400.0;
  std::map<std::string, double> teamShares;  // absent teams: 1 each
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

// One run of a job on one gang: it ends when the job is done or when a host of it fails.
// `progressStart`, `progressEnd`: the share of the job's work saved before and after it.
struct ReplayAttempt {
  double startS = 0, endS = 0;
  std::vector<int> hosts;
  double commS = 0;  // the whole job's communication time on these hosts
  double progressStart = 0, progressEnd = 0;
  bool failed = false;     // a host of it failed
  bool preempted = false;  // a job of higher priority stopped it
};

struct ReplayJob {
  int job = 0;  // index in the trace
  double submitS = 0;
  double startS = -1, endS = -1;        // -1: never started; endS -1: never completed
  double commS = 0;                     // communication time within the run
  double busbwGbps = 0;                 // predicted for its gang (multi-node jobs)
  int domainLevel = -1;                 // the finest level holding the gang (-1: the whole cluster)
  std::vector<int> hosts;               // the gang (of its last run)
  std::vector<ReplayAttempt> attempts;  // every run, the last one complete (startS: the first's)
  int restarts = 0;                     // runs a host failure ended
  int preemptions = 0;                  // runs a job of higher priority ended
  double lostGpuS = 0;                  // GPU-seconds of work lost to both
};

// One team's figures (fair share): its jobs, their queueing (from submission to the first start,
// of those that started), and the GPU-hours its runs held.
struct TeamFigures {
  std::string team;
  int jobs = 0;
  double queueMeanS = 0, queueP99S = 0;
  double gpuH = 0;
};

struct ReplaySummary {
  std::string policy;
  // started: and completed; unplaceable: bigger than the cluster; unfinished: given up after
  // maxRestarts failures, or waiting at the end (hosts down for good, or failing without end).
  int jobs = 0, started = 0, unplaceable = 0, unfinished = 0;
  double jctMeanS = 0, jctP50S = 0, jctP99S = 0;
  double queueMeanS = 0, queueP99S = 0;
  double makespanS = 0;
  double utilizationMean = 0, fragmentationMean = 0, partialLeavesMean = 0;  // time means
  int multiNodeGangs = 0;
  double inLeafShare = 0, inPodShare = 0;  // of multi-node gangs
  double busbwMeanGbps = 0;                // of multi-node gangs
  double commShare = 0;                    // communication / run time, over all jobs
  int hostFailures = 0, restarts = 0;      // failures that happened; runs they ended
  int preemptions = 0;                     // runs ended by preemption
  double allocatedGpuH = 0, lostGpuH = 0;  // GPU-hours of every run; of work lost (both)
  double goodput = 1;                      // useful GPU-hours over allocated
  std::vector<TeamFigures> teams;          // by name, where the trace names teams
  std::vector<double> jctCdfS;             // the 0th, 1st, ..., 100th percentile
  std::vector<ReplaySample> series;        // at most seriesPoints, evenly spaced in time
  double wallS = 0;                        // how long the replay took to compute
};

struct ReplayRun {
  ReplaySummary summary;
  std::vector<ReplayJob> jobs;         // per trace job
  std::vector<HostFailure> downtimes;  // when each host was down (upS infinite: to the end)
};

// The policies, in the order `--policy all` runs them.
inline constexpr std::string_view kReplayPolicies[] = {"topoplan", "topoplan-greedy", "best-fit",
                                                       "spread",   "first-fit",       "random"};

// Errors: an unknown policy, a job without nodes or GPUs, a negative time, a failure of a host
// that does not exist or that ends before it begins, negative failure settings.
Result<ReplayRun> replay(const Topology& topology, const CostModel& cost,
                         const std::set<int>& degradedHosts, const std::vector<TraceJob>& jobs,
                         const ReplayOptions& options);

}  // namespace topoplan
