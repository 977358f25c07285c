#include "placement/whatif/replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "core/result_testing.h"
#include "placement/planted/planted_cluster.h"
#include "placement/planted/replay_checks.h"
#include "placement/synthetic.h"
#include "placement/whatif/trace_generator.h"

namespace topoplan {
namespace {

// 8 hosts of 8 GPUs: two spines, two leaves each, two hosts per leaf.
Topology small() {
  return valueOrThrow<Topology>(syntheticTopology("spine=2,leaf=2,host=2"));
}

TraceJob job(double submitS, int nodes, int gpus, double computeS, long long steps = 0,
             std::uint64_t bytes = 0) {
  return TraceJob{"", submitS, nodes, gpus, computeS, steps, bytes, 0};
}

ReplayRun run(const Topology& topology, const CostModel& cost, const std::vector<TraceJob>& jobs,
              const std::string& policy, bool backfill = false) {
  ReplayOptions options;
  options.policy = policy;
  options.backfill = backfill;
  return valueOrThrow<ReplayRun>(replay(topology, cost, {}, jobs, options));
}

TEST(Replay, FifoWaitsBehindTheFirstJobAndEasyBackfillsWhatEndsBeforeItsReservation) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {job(0, 4, 8, 100), job(1, 8, 8, 50), job(2, 2, 8, 10),
                                      job(3, 2, 8, 1000)};
  const ReplayRun fifo = run(topology, cost, jobs, "topoplan");
  EXPECT_DOUBLE_EQ(fifo.jobs[1].startS, 100);
  EXPECT_DOUBLE_EQ(fifo.jobs[2].startS, 150);  // behind the 8-node job
  EXPECT_DOUBLE_EQ(fifo.jobs[3].startS, 150);
  const ReplayRun easy = run(topology, cost, jobs, "topoplan", true);
  EXPECT_DOUBLE_EQ(easy.jobs[2].startS, 2);  // ends at 12, before the reservation at 100
  EXPECT_DOUBLE_EQ(easy.jobs[2].endS, 12);
  EXPECT_DOUBLE_EQ(easy.jobs[1].startS, 100);  // not delayed
  EXPECT_DOUBLE_EQ(easy.jobs[3].startS, 150);  // would delay it: no spare hosts at 100
  EXPECT_EQ(easy.summary.started, 4);
  EXPECT_DOUBLE_EQ(easy.summary.makespanS, 1150);
  EXPECT_LT(easy.summary.queueMeanS, fifo.summary.queueMeanS);
}

TEST(Replay, AWorsePlacementRunsLongerByTheCostModelsTime) {
  const Topology topology = small();
  CostModel cost(topology);
  for (int leaf : topology.domainsAt(1)) cost.setUplinkGbps(leaf, 10, "declared");
  for (int spine : topology.domainsAt(0)) cost.setUplinkGbps(spine, 5, "declared");
  // One node busy on h0001; then a 2-node job with 10 AllReduces of 1 GB.
  const std::vector<TraceJob> jobs = {job(0, 1, 8, 1000), job(1, 2, 8, 100, 10, 1'000'000'000)};
  const ReplayRun ours = run(topology, cost, jobs, "topoplan");
  const ReplayRun firstFit = run(topology, cost, jobs, "first-fit");
  ASSERT_EQ(ours.jobs[1].hosts.size(), 2u);
  EXPECT_EQ(topology.sharedLevels(ours.jobs[1].hosts[0], ours.jobs[1].hosts[1]), 2);  // a leaf
  EXPECT_EQ(topology.sharedLevels(firstFit.jobs[1].hosts[0], firstFit.jobs[1].hosts[1]), 1);
  const double inLeafUs = cost.predict(ours.jobs[1].hosts, Pattern::kRing, 1'000'000'000).timeUs;
  EXPECT_NEAR(ours.jobs[1].endS, 1 + 100 + 10 * inLeafUs * 1e-6, 1e-9);
  EXPECT_NEAR(ours.jobs[1].commS, 10 * inLeafUs * 1e-6, 1e-12);
  // 2 x 1/2 x 1 GB at 10 GB/s instead of 50: 0.08 s more per step (and a hop more latency).
  EXPECT_NEAR(firstFit.jobs[1].endS - ours.jobs[1].endS, 10 * (0.1 - 0.02), 1e-4);
  EXPECT_NEAR(ours.summary.busbwMeanGbps, 50, 0.05);
  EXPECT_DOUBLE_EQ(ours.summary.inLeafShare, 1);
  EXPECT_DOUBLE_EQ(firstFit.summary.inLeafShare, 0);
  EXPECT_DOUBLE_EQ(firstFit.summary.inPodShare, 1);
}

// Two 3-node jobs leave h0004 and h0008 free, one in each spine; the first ends at 10 s. A
// 2-node job with 100 AllReduces of 1 GB (0.2 s each across the spines at 5 GB/s, 0.02 s in a
// leaf) arrives at 1 s: topoplan waits for a leaf, topoplan-greedy takes the spines now.
std::vector<TraceJob> crossOrWait(double firstEndsS) {
  return {job(0, 3, 8, firstEndsS), job(0, 3, 8, 1000), job(1, 2, 8, 100, 100, 1'000'000'000)};
}

CostModel slowUplinks(const Topology& topology) {
  CostModel cost(topology);
  for (int leaf : topology.domainsAt(1)) cost.setUplinkGbps(leaf, 10, "declared");
  for (int spine : topology.domainsAt(0)) cost.setUplinkGbps(spine, 5, "declared");
  return cost;
}

TEST(Replay, TopoplanWaitsForABetterGangWhenTheJobEndsSoonerThere) {
  const Topology topology = small();
  const CostModel cost = slowUplinks(topology);
  const auto jobs = crossOrWait(10);
  const ReplayRun greedy = run(topology, cost, jobs, "topoplan-greedy");
  ASSERT_EQ(greedy.jobs[0].hosts, (std::vector<int>{0, 1, 2}));
  ASSERT_EQ(greedy.jobs[1].hosts, (std::vector<int>{4, 5, 6}));
  EXPECT_DOUBLE_EQ(greedy.jobs[2].startS, 1);
  EXPECT_EQ(topology.sharedLevels(greedy.jobs[2].hosts[0], greedy.jobs[2].hosts[1]), 0);
  EXPECT_NEAR(greedy.jobs[2].endS, 1 + 100 + 20, 0.01);
  for (bool backfill : {false, true}) {
    const ReplayRun ours = run(topology, cost, jobs, "topoplan", backfill);
    EXPECT_DOUBLE_EQ(ours.jobs[2].startS, 10);  // when the first job frees a leaf
    ASSERT_EQ(ours.jobs[2].hosts.size(), 2u);
    EXPECT_EQ(topology.sharedLevels(ours.jobs[2].hosts[0], ours.jobs[2].hosts[1]), 2);
    EXPECT_NEAR(ours.jobs[2].endS, 10 + 100 + 2, 0.01);  // 9 s later, 9 s sooner
    for (const std::string& v : replayViolations(topology, jobs, ours, !backfill))
      ADD_FAILURE() << v;
  }
}

TEST(Replay, TopoplanTakesTheGangFreeNowWhenWaitingWouldEndLater) {
  const Topology topology = small();
  const CostModel cost = slowUplinks(topology);
  // A leaf frees at 25 s: 25 + 102 s ends after 1 + 120 s.
  const ReplayRun late = run(topology, cost, crossOrWait(25), "topoplan");
  EXPECT_DOUBLE_EQ(late.jobs[2].startS, 1);
  // A job without AllReduces has nothing to gain by waiting.
  auto jobs = crossOrWait(10);
  jobs[2].steps = 0;
  EXPECT_DOUBLE_EQ(run(topology, cost, jobs, "topoplan").jobs[2].startS, 1);
}

// h0001 busy until 10 s, h0002 free from 1 s, h0008 free, every other host busy long after: a
// 2-node job at 2 s waits for the leaf of h0001 and h0002, whose h0002 is free now. A long
// 1-node job arriving behind it would take h0002 (the planner's first choice between the two);
// EASY backfill keeps it off that held host and gives it h0008.
TEST(Replay, WhileTheFirstJobWaitsForAGangBackfillKeepsOffItsHosts) {
  const Topology topology = small();
  const CostModel cost = slowUplinks(topology);
  const std::vector<TraceJob> jobs = {job(0, 1, 8, 10),   job(0, 1, 8, 1),
                                      job(0, 2, 8, 1000), job(0, 2, 8, 1000),
                                      job(0, 1, 8, 1000), job(2, 2, 8, 100, 100, 1'000'000'000),
                                      job(3, 1, 8, 1000), job(4, 1, 8, 5)};
  const ReplayRun greedy = run(topology, cost, jobs, "topoplan-greedy", true);
  ASSERT_EQ(greedy.jobs[0].hosts, std::vector<int>{0});
  ASSERT_EQ(greedy.jobs[1].hosts, std::vector<int>{1});
  ASSERT_EQ(greedy.jobs[4].hosts, std::vector<int>{6});
  EXPECT_EQ(greedy.jobs[5].hosts, (std::vector<int>{1, 7}));  // across the spines, at 2 s
  const ReplayRun fifo = run(topology, cost, jobs, "topoplan");
  EXPECT_DOUBLE_EQ(fifo.jobs[5].startS, 10);
  EXPECT_DOUBLE_EQ(fifo.jobs[6].startS, 10);  // behind the waiting job
  const ReplayRun easy = run(topology, cost, jobs, "topoplan", true);
  EXPECT_DOUBLE_EQ(easy.jobs[5].startS, 10);
  auto hosts = easy.jobs[5].hosts;
  std::sort(hosts.begin(), hosts.end());
  EXPECT_EQ(hosts, (std::vector<int>{0, 1}));  // the leaf it waited for
  EXPECT_DOUBLE_EQ(easy.jobs[6].startS, 3);
  EXPECT_EQ(easy.jobs[6].hosts, std::vector<int>{7});  // off the held h0002
  EXPECT_DOUBLE_EQ(easy.jobs[7].startS, 4);            // ends by 10 s: anywhere
  for (const std::string& v : replayViolations(topology, jobs, easy, false)) ADD_FAILURE() << v;
}

TEST(Replay, SpreadingSmallJobsStrandsGpusThatPackingKeepsUsable) {
  const Topology topology = small();
  const CostModel cost(topology);
  std::vector<TraceJob> jobs(8, job(0, 1, 4, 100));
  jobs.push_back(job(1, 4, 8, 10));
  const ReplayRun spread = run(topology, cost, jobs, "spread");
  EXPECT_DOUBLE_EQ(spread.jobs[8].startS, 100);  // every host half used until then
  // 32 of 64 GPUs free but useless to the waiting gang from 1 to 100, over a makespan of 110.
  EXPECT_DOUBLE_EQ(spread.summary.makespanS, 110);
  EXPECT_NEAR(spread.summary.fragmentationMean, 32.0 * 99 / (64 * 110), 1e-12);
  EXPECT_NEAR(spread.summary.utilizationMean, (32.0 * 100 + 32 * 10) / (64 * 110), 1e-12);
  EXPECT_NEAR(spread.summary.partialLeavesMean, 100.0 / 110, 1e-12);  // every leaf partly used
  for (const char* packing : {"topoplan", "best-fit"}) {
    const ReplayRun packed = run(topology, cost, jobs, packing);
    EXPECT_DOUBLE_EQ(packed.jobs[8].startS, 1) << packing;
    EXPECT_DOUBLE_EQ(packed.summary.fragmentationMean, 0) << packing;
    EXPECT_DOUBLE_EQ(packed.summary.makespanS, 100) << packing;
  }
}

TEST(Replay, JobsBiggerThanTheClusterAreCountedAndTheRestRuns) {
  const Topology topology = small();
  const CostModel cost(topology);
  const ReplayRun r =
      run(topology, cost, {job(0, 9, 8, 10), job(1, 1, 16, 10), job(2, 8, 8, 10)}, "best-fit");
  EXPECT_EQ(r.summary.unplaceable, 2);
  EXPECT_EQ(r.summary.started, 1);
  EXPECT_DOUBLE_EQ(r.jobs[2].startS, 2);
  EXPECT_LT(r.jobs[0].startS, 0);
}

TEST(Replay, UnknownPoliciesAndJobsWithoutGpusAreErrors) {
  const Topology topology = small();
  const CostModel cost(topology);
  ReplayOptions options;
  options.policy = "worst-fit";
  auto r = replay(topology, cost, {}, {job(0, 1, 8, 1)}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("'worst-fit'"), std::string::npos);
  options.policy = "best-fit";
  auto noGpus = replay(topology, cost, {}, {job(0, 1, 0, 1)}, options);
  ASSERT_FALSE(noGpus.ok());
  EXPECT_NE(noGpus.error().message().find("one GPU per node"), std::string::npos);
}

// topoplan waits for healthy hosts rather than put a degraded one in a gang, unless the healthy
// hosts could never hold the gang.
TEST(Replay, TopoplanWaitsForHealthyHostsUnlessOnlyADegradedOneCanCompleteTheGang) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {job(0, 6, 8, 100), job(1, 2, 8, 10, 10, 1 << 20),
                                      job(2, 8, 8, 10)};
  ReplayOptions options;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(r, replay(topology, cost, {7}, jobs, options));
  for (int host : r.jobs[0].hosts) EXPECT_NE(host, 7);
  EXPECT_EQ(r.jobs[1].startS, 100) << "started beside the degraded host instead of waiting";
  for (int host : r.jobs[1].hosts) EXPECT_NE(host, 7);
  EXPECT_GE(r.jobs[2].startS, r.jobs[1].endS);
  EXPECT_EQ(r.jobs[2].hosts.size(), 8u) << "8 nodes need the degraded host too";
}

// On a measured cluster (racks' uplinks a little different) with a degraded host that inference
// placed nowhere, topoplan places gangs larger than a rack (the whole cluster was never a
// candidate, and the replay aborted) and every job runs.
TEST(Replay, TopoplanRunsEveryJobOnAMeasuredClusterWithAnUnplacedHost) {
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(cluster, plantCluster(unplacedDegradedHostSpec(7)));
  ASSERT_EQ(cluster.unplacedHosts.size(), 1u);
  const auto jobs =
      syntheticTrace({300, static_cast<int>(cluster.topology->gpuCount()), 8, 64, 0.9, 3});
  for (bool backfill : {false, true}) {
    ReplayOptions options;
    options.backfill = backfill;
    TOPOPLAN_ASSERT_OK_AND_ASSIGN(
        r, replay(*cluster.topology, *cluster.cost, cluster.degradedHosts, jobs, options));
    EXPECT_EQ(r.summary.started, 300);
    std::size_t largest = 0;
    for (const ReplayJob& j : r.jobs) largest = std::max(largest, j.hosts.size());
    EXPECT_GT(largest, 16u) << "a gang larger than a rack";
  }
}

// A host of a running 2-node job fails 35 s into its 100 s run: the job dies whole, keeps what it
// saved at its last checkpoint (every 10 s: 30 s of work) and runs the remaining 70 s on other
// hosts at once; without checkpoints it starts over. The failed host takes no work until its
// repair.
TEST(Replay, AFailedHostKillsTheWholeGangWhichResumesFromItsLastCheckpoint) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {job(0, 2, 8, 100), job(40, 8, 8, 10)};
  const ReplayRun healthy = run(topology, cost, jobs, "best-fit");
  ASSERT_EQ(healthy.jobs[0].hosts.size(), 2u);
  const int victim = healthy.jobs[0].hosts[1];
  for (double checkpointS : {10.0, 0.0}) {
    ReplayOptions options;
    options.policy = "best-fit";
    options.checkpointS = checkpointS;
    options.failures = {{victim, 35, 200}};
    TOPOPLAN_ASSERT_OK_AND_ASSIGN(r, replay(topology, cost, {}, jobs, options));
    const ReplayJob& first = r.jobs[0];
    const double saved = checkpointS > 0 ? 30 : 0;
    ASSERT_EQ(first.attempts.size(), 2u);
    EXPECT_TRUE(first.attempts[0].failed);
    EXPECT_DOUBLE_EQ(first.attempts[0].endS, 35);
    EXPECT_DOUBLE_EQ(first.attempts[1].startS, 35);  // 6 hosts are free
    EXPECT_DOUBLE_EQ(first.attempts[1].progressStart, saved / 100);
    for (int host : first.attempts[1].hosts) EXPECT_NE(host, victim);
    EXPECT_DOUBLE_EQ(first.endS, 35 + 100 - saved);
    EXPECT_DOUBLE_EQ(first.startS, 0);  // queueing counts from the first start
    EXPECT_EQ(first.restarts, 1);
    EXPECT_DOUBLE_EQ(first.lostGpuS, (35 - saved) * 16);
    // The 8-node job needs the failed host: it waits for its repair at 200.
    EXPECT_DOUBLE_EQ(r.jobs[1].startS, 200);
    EXPECT_EQ(r.summary.hostFailures, 1);
    EXPECT_EQ(r.summary.restarts, 1);
    const double allocated = (35 + 100 - saved) * 16 + 10 * 64;
    EXPECT_NEAR(r.summary.allocatedGpuH * 3600, allocated, 1e-9);
    EXPECT_NEAR(r.summary.goodput, (allocated - (35 - saved) * 16) / allocated, 1e-12);
    ASSERT_EQ(r.downtimes.size(), 1u);
    EXPECT_DOUBLE_EQ(r.downtimes[0].upS, 200);
    for (const std::string& v : replayViolations(topology, jobs, r, true)) ADD_FAILURE() << v;
  }
}

TraceJob prioritized(TraceJob j, long long priority) {
  j.priority = priority;
  return j;
}

// The whole cluster runs a low-priority job (8 hosts, 100 s, a checkpoint every 10 s). A 2-host
// job of higher priority arrives at 35: with preemption the first job stops whole at once, keeps
// its 30 s of saved work (5 s x 64 GPUs lost), and waits until the second job's 20 s are done,
// then runs its remaining 70 s. Without preemption, or at equal priority, the second job waits.
TEST(Replay, APreemptedGangStopsWholeAndResumesFromItsLastCheckpoint) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {job(0, 8, 8, 100), prioritized(job(35, 2, 8, 20), 5)};
  ReplayOptions options;
  options.policy = "topoplan";
  options.checkpointS = 10;
  options.preempt = true;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(r, replay(topology, cost, {}, jobs, options));
  const ReplayJob& low = r.jobs[0];
  ASSERT_EQ(low.attempts.size(), 2u);
  EXPECT_TRUE(low.attempts[0].preempted);
  EXPECT_FALSE(low.attempts[0].failed);
  EXPECT_DOUBLE_EQ(low.attempts[0].endS, 35);
  EXPECT_DOUBLE_EQ(low.attempts[1].startS, 55);
  EXPECT_DOUBLE_EQ(low.attempts[1].progressStart, 0.3);
  EXPECT_DOUBLE_EQ(low.endS, 125);
  EXPECT_EQ(low.preemptions, 1);
  EXPECT_EQ(low.restarts, 0);
  EXPECT_DOUBLE_EQ(low.lostGpuS, 5 * 64);
  EXPECT_DOUBLE_EQ(r.jobs[1].startS, 35);
  EXPECT_DOUBLE_EQ(r.jobs[1].endS, 55);
  EXPECT_EQ(r.summary.preemptions, 1);
  EXPECT_EQ(r.summary.restarts, 0);
  EXPECT_NEAR(r.summary.lostGpuH * 3600, 320, 1e-9);
  for (const std::string& v : replayViolations(topology, jobs, r, true)) ADD_FAILURE() << v;

  options.preempt = false;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(waits, replay(topology, cost, {}, jobs, options));
  EXPECT_DOUBLE_EQ(waits.jobs[0].endS, 100);
  EXPECT_DOUBLE_EQ(waits.jobs[1].startS, 100);
  EXPECT_EQ(waits.summary.preemptions, 0);

  options.preempt = true;
  const std::vector<TraceJob> equal = {job(0, 8, 8, 100), job(35, 2, 8, 20)};
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(same, replay(topology, cost, {}, equal, options));
  EXPECT_DOUBLE_EQ(same.jobs[1].startS, 100) << "equal priority never preempts";
}

// Only the jobs whose hosts the gang needs stop, the lowest priority first; and the queue is
// ordered by priority before submission.
TEST(Replay, PreemptionStopsOnlyWhatTheGangNeedsAndTheQueueGoesByPriority) {
  const Topology topology = small();
  const CostModel cost(topology);
  // Two 4-host jobs fill the cluster: priority 1 (started first) and 0. A 4-host job of
  // priority 3 stops the priority-0 one only.
  const std::vector<TraceJob> jobs = {prioritized(job(0, 4, 8, 100), 1), job(1, 4, 8, 100),
                                      prioritized(job(10, 4, 8, 10), 3)};
  ReplayOptions options;
  options.preempt = true;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(r, replay(topology, cost, {}, jobs, options));
  EXPECT_EQ(r.jobs[0].preemptions, 0);
  EXPECT_DOUBLE_EQ(r.jobs[0].endS, 100);
  EXPECT_EQ(r.jobs[1].preemptions, 1);
  EXPECT_DOUBLE_EQ(r.jobs[2].startS, 10);
  EXPECT_DOUBLE_EQ(r.jobs[1].attempts[1].startS, 20);
  EXPECT_DOUBLE_EQ(r.jobs[1].endS, 120);  // no checkpoints: it starts over
  for (const std::string& v : replayViolations(topology, jobs, r, true)) ADD_FAILURE() << v;

  // Without preemption: the whole cluster is busy until 100; at 100 the priority-9 job
  // submitted last starts before the priority-0 one submitted before it.
  const std::vector<TraceJob> queued = {job(0, 8, 8, 100), job(1, 8, 8, 10),
                                        prioritized(job(2, 8, 8, 10), 9)};
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(q, replay(topology, cost, {}, queued, ReplayOptions{}));
  EXPECT_DOUBLE_EQ(q.jobs[2].startS, 100);
  EXPECT_DOUBLE_EQ(q.jobs[1].startS, 110);
  for (const std::string& v : replayViolations(topology, queued, q, true)) ADD_FAILURE() << v;
}

TraceJob ofTeam(TraceJob j, const std::string& team) {
  j.team = team;
  return j;
}

// Team a submits two whole-cluster jobs before team b submits one. FIFO runs a, a, b. With fair
// share, at 100 s team a has used 100 s x 64 GPUs (its factor 2^-(1 / 0.5) = 0.25) and b nothing
// (1): b's job goes before a's second, also with usage decaying fast (a half-life of 50 s).
// Priority still comes first.
TEST(Replay, FairShareRunsTheTeamThatUsedLessFirst) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {ofTeam(job(0, 8, 8, 100), "a"),
                                      ofTeam(job(1, 8, 8, 100), "a"),
                                      ofTeam(job(2, 8, 8, 100), "b")};
  ReplayOptions options;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(fifo, replay(topology, cost, {}, jobs, options));
  EXPECT_DOUBLE_EQ(fifo.jobs[1].startS, 100);
  EXPECT_DOUBLE_EQ(fifo.jobs[2].startS, 200);
  options.fairShare = true;
  for (double halfLife : {7 * 86400.0, 50.0}) {
    options.fairShareHalfLifeS = halfLife;
    TOPOPLAN_ASSERT_OK_AND_ASSIGN(fair, replay(topology, cost, {}, jobs, options));
    EXPECT_DOUBLE_EQ(fair.jobs[2].startS, 100) << halfLife;
    EXPECT_DOUBLE_EQ(fair.jobs[1].startS, 200) << halfLife;
    ASSERT_EQ(fair.summary.teams.size(), 2u);
    EXPECT_EQ(fair.summary.teams[0].team, "a");
    EXPECT_EQ(fair.summary.teams[0].jobs, 2);
    EXPECT_DOUBLE_EQ(fair.summary.teams[0].queueMeanS, (0 + 199) / 2.0);
    EXPECT_DOUBLE_EQ(fair.summary.teams[1].queueMeanS, 98);
    EXPECT_NEAR(fair.summary.teams[0].gpuH * 3600, 200 * 64, 1e-9);
    for (const std::string& v : replayViolations(topology, jobs, fair, false)) ADD_FAILURE() << v;
  }
  // Shares a 10 : b 1: b has used nothing, its factor is 1 whatever its share.
  options.teamShares = {{"a", 10}, {"b", 1}};
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(weighted, replay(topology, cost, {}, jobs, options));
  EXPECT_DOUBLE_EQ(weighted.jobs[2].startS, 100);
  // Priority before fair share.
  std::vector<TraceJob> urgent = jobs;
  urgent[1].priority = 1;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(first, replay(topology, cost, {}, urgent, options));
  EXPECT_DOUBLE_EQ(first.jobs[1].startS, 100);
  options.teamShares = {{"a", -1}};
  EXPECT_FALSE(replay(topology, cost, {}, jobs, options).ok());
}

// A team that used its share more than another waits behind it once both have usage: a used
// 2 x 64 x 100 GPU-s, b 64 x 100; with equal shares b's factor is higher.
TEST(Replay, FairShareWeighsUsageAgainstShares) {
  const Topology topology = small();
  const CostModel cost(topology);
  const std::vector<TraceJob> jobs = {
      ofTeam(job(0, 8, 8, 100), "a"), ofTeam(job(1, 8, 8, 100), "b"),
      ofTeam(job(2, 8, 8, 100), "a"), ofTeam(job(3, 8, 8, 100), "a"),
      ofTeam(job(4, 8, 8, 100), "b")};
  ReplayOptions options;
  options.fairShare = true;
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(equal, replay(topology, cost, {}, jobs, options));
  // 0-100 a; then b (no usage) 100-200; then a and b both used 6,400: a's job 2 (earlier)
  // 200-300; then a used twice b's: b's job 4 300-400; a's job 3 last.
  EXPECT_DOUBLE_EQ(equal.jobs[1].startS, 100);
  EXPECT_DOUBLE_EQ(equal.jobs[2].startS, 200);
  EXPECT_DOUBLE_EQ(equal.jobs[4].startS, 300);
  EXPECT_DOUBLE_EQ(equal.jobs[3].startS, 400);
  // a holding 3 shares to b's 1: a's 2/3 of the usage is under its 3/4 of the shares.
  options.teamShares = {{"a", 3}, {"b", 1}};
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(weighted, replay(topology, cost, {}, jobs, options));
  EXPECT_DOUBLE_EQ(weighted.jobs[3].startS, 300);
  EXPECT_DOUBLE_EQ(weighted.jobs[4].startS, 400);
}

TEST(Replay, FailureSettingsAreChecked) {
  const Topology topology = small();
  const CostModel cost(topology);
  ReplayOptions options;
  options.failures = {{8, 1, 2}};
  auto r = replay(topology, cost, {}, {job(0, 1, 8, 1)}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("failure of host 8"), std::string::npos);
  options.failures = {{0, 5, 5}};
  EXPECT_FALSE(replay(topology, cost, {}, {job(0, 1, 8, 1)}, options).ok());
  options.failures.clear();
  options.mtbfS = -1;
  EXPECT_FALSE(replay(topology, cost, {}, {job(0, 1, 8, 1)}, options).ok());
}

TEST(Replay, FailureLogNamesHostsAndLines) {
  const Topology topology = small();
  TOPOPLAN_ASSERT_OK_AND_ASSIGN(
      log, parseFailureLog("host,down_s,up_s\nh0002,10,70\n# a comment\nh0005,30,\n", "f.csv",
                           topology));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].host, 1);
  EXPECT_DOUBLE_EQ(log[0].upS, 70);
  EXPECT_TRUE(std::isinf(log[1].upS));
  EXPECT_EQ(parseFailureLog("h0009,1,2\n", "f.csv", topology).error().message(),
            "f.csv:1: 'h0009' is not a host of the cluster");
  EXPECT_EQ(parseFailureLog("h0001,5,4\n", "f.csv", topology).error().message(),
            "f.csv:1: up_s 4 is not after down_s");
  EXPECT_FALSE(parseFailureLog("h0001,x,4\n", "f.csv", topology).ok());
}

// Over many random traces, every policy and both queues: no host ever holds more GPUs than it
// has, every job runs for compute plus communication on its own distinct hosts, FIFO starts jobs
// in submission order, the utilization integral matches the jobs, and a rerun is identical.
TEST(Replay, InvariantsHoldOverRandomTraces) {
  const Topology topology =
      valueOrThrow<Topology>(syntheticTopology("spine=2,leaf=4,host=4,gpu=8"));
  CostModel cost(topology);
  for (int leaf : topology.domainsAt(1)) cost.setUplinkGbps(leaf, 25, "declared");
  for (unsigned seed = 1; seed <= 12; ++seed) {
    const auto jobs =
        syntheticTrace({200, static_cast<int>(topology.gpuCount()), 8, 16, 1.2, seed});
    for (std::string_view policy : kReplayPolicies) {
      for (bool backfill : {false, true}) {
        const std::string what =
            std::string(policy) + (backfill ? " easy" : " fifo") + " seed " + std::to_string(seed);
        const ReplayRun r = run(topology, cost, jobs, std::string(policy), backfill);
        EXPECT_EQ(r.summary.started, 200) << what;
        for (const std::string& v : replayViolations(topology, jobs, r, !backfill))
          ADD_FAILURE() << what << ": " << v;
        // The same with hosts failing (a mean of 20 failures over the trace) and checkpoints.
        ReplayOptions failing;
        failing.policy = std::string(policy);
        failing.backfill = backfill;
        failing.seed = seed;
        failing.mtbfS = r.summary.makespanS * 32 / 20;
        failing.mttrS = r.summary.makespanS / 50;
        failing.checkpointS = seed % 2 ? 600 : 0;
        TOPOPLAN_ASSERT_OK_AND_ASSIGN(f, replay(topology, cost, {}, jobs, failing));
        EXPECT_EQ(f.summary.started, 200) << what;
        EXPECT_GT(f.summary.hostFailures, 0) << what;
        for (const std::string& v : replayViolations(topology, jobs, f, !backfill))
          ADD_FAILURE() << what << " with failures: " << v;
        const ReplayRun again = run(topology, cost, jobs, std::string(policy), backfill);
        EXPECT_EQ(again.summary.jctMeanS, r.summary.jctMeanS) << what;
      }
    }
  }
}

}  // namespace
}  // namespace topoplan
