// Trace replay: every policy's figures side by side, topoplan's ratios to best-fit, and speed.
//
//   build/bench/replay [--jobs 100000] [--seeds 5]
//                      [--sections kalos,synthetic,faults,failures,preemption,fairshare,
//                                  saturation,large]
//
// 1. The Acme Kalos trace (319 gang jobs, tests/data/traces) on the real 847-host Clos
//    (tests/data/clusters), declared 2:1 oversubscribed above the ToR (ASW uplinks 50 GB/s,
//    PSW 25 GB/s): as recorded, and with arrivals 10x denser (a busier cluster); FIFO and EASY.
//    Speed goal: 319 jobs x every policy in under 5 s.
// 2. Synthetic traces (placement/trace_generator.h, offered load 0.9) on a synthetic fat tree of
//    4,096 hosts x 8 GPUs (16 spines x 16 leaves x 16 hosts, leaf uplinks 50 GB/s, spine
//    uplinks 25 GB/s): `--seeds` traces of 5,000 jobs (the ratios' spread), then one of `--jobs`
//    jobs. Speed goal: 100,000 jobs in under 60 s per policy.
// 3. Measured clusters with planted faults (placement/planted_cluster.h: a 2:1 leaf-spine of 128
//    hosts x 8 GPUs in racks of 16, inferred from all-pairs measurements as `place` infers a
//    probe document): degraded hosts (6 at a tenth of the bandwidth), slow uplinks (2 racks at a
//    quarter), mis-cabled hosts (4), and all three; `--seeds` clusters and traces of 2,000 jobs
//    each (load 0.9, gangs up to 32 nodes), FIFO and EASY. Run times are priced with the measured
//    figures; topoplan avoids what measuring found, best-fit packs onto whatever it is given.
// Quality goal: topoplan at least matches best-fit on mean JCT and queueing delay and beats it
// on fragmentation; the last lines say whether it did.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "core/stats.h"
#include "core/units.h"
#include "placement/hierarchy_csv.h"
#include "placement/planted/planted_cluster.h"
#include "placement/synthetic.h"
#include "placement/whatif/replay.h"
#include "placement/whatif/trace_generator.h"
#include "report/documents/replay_document.h"
#include "tests/test_data.h"

namespace topoplan {
namespace {

// Uplinks of the finest level at `leafGbps`, of the level above at `podGbps`.
CostModel declared(const Topology& topology, double leafGbps, double podGbps) {
  CostModel cost(topology);
  const int leaf = topology.levelCount() - 1;
  for (int d : topology.domainsAt(leaf)) cost.setUplinkGbps(d, leafGbps, "declared");
  for (int d : topology.domainsAt(leaf - 1)) cost.setUplinkGbps(d, podGbps, "declared");
  return cost;
}

ReplayReport replayAll(const Topology& topology, const CostModel& cost,
                       const std::vector<TraceJob>& jobs, bool backfill, const std::string& name,
                       double* slowestS, const std::set<int>& degraded = {}) {
  ReplayReport report{
      "", name, "", static_cast<int>(jobs.size()), 0, backfill ? "easy" : "fifo", 1, "",
      {}, "",   {}};
  for (std::string_view policy : kReplayPolicies) {
    ReplayOptions options;
    options.policy = std::string(policy);
    options.backfill = backfill;
    auto run = replay(topology, cost, degraded, jobs, options);
    if (!run) {
      std::fprintf(stderr, "replay: %s\n", run.error().message().c_str());
      std::exit(1);
    }
    *slowestS = std::max(*slowestS, run->summary.wallS);
    report.policies.push_back(std::move(run->summary));
  }
  return report;
}

const ReplaySummary& policy(const ReplayReport& report, const char* name) {
  return *std::find_if(report.policies.begin(), report.policies.end(),
                       [&](const ReplaySummary& s) { return s.policy == name; });
}

struct Verdict {
  int runs = 0, jct = 0, queue = 0, fragmentation = 0;
  void add(const ReplayReport& report) {
    add(policy(report, "topoplan"), policy(report, "best-fit"));
  }
  void add(const ReplaySummary& ours, const ReplaySummary& bestFit) {
    ++runs;
    jct += ours.jctMeanS <= bestFit.jctMeanS * 1.001;
    queue += ours.queueMeanS <= bestFit.queueMeanS * 1.001 + 1e-9;
    fragmentation += ours.fragmentationMean + ours.partialLeavesMean <
                     bestFit.fragmentationMean + bestFit.partialLeavesMean;
  }
};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// The Kalos trace on the Clos, as recorded and 10x denser, FIFO and EASY.
bool kalosOnTheClos(Verdict& verdict) {
  auto clos = parseHierarchyCsv(readTestData("clusters/alibaba-lingjun-2023-topo.csv"), "clos");
  auto kalos = parseTrace(readTestData("traces/acme-kalos-gang-jobs.csv"), "kalos");
  if (!clos || !kalos) {
    std::fprintf(stderr, "test data missing\n");
    return false;
  }
  const CostModel cost = declared(*clos, 50, 25);
  for (double scale : {1.0, 0.1}) {
    std::vector<TraceJob> scaled = kalos->jobs;
    for (TraceJob& job : scaled) job.submitS *= scale;
    for (bool backfill : {false, true}) {
      double slowest = 0;
      const auto begin = std::chrono::steady_clock::now();
      ReplayReport report =
          replayAll(*clos, cost, scaled, backfill, "Kalos on the 847-host Clos", &slowest);
      report.arrivalScale = scale;
      report.traceFormat = "kalos";
      report.cluster = "lingjun Clos (ASW=50,PSW=25)";
      const double wall = seconds(begin);
      std::printf("%s# %zu policies in %.2f s (goal: under 5 s): %s\n\n",
                  replayTable(report).c_str(), report.policies.size(), wall,
                  wall < 5 ? "met" : "missed");
      verdict.add(report);
    }
  }
  return true;
}

// `seeds` synthetic traces of 5,000 jobs, FIFO and EASY: the spread of topoplan's ratios to
// best-fit.
void syntheticRatios(const Topology& tree, const CostModel& cost, int seeds, Verdict& verdict) {
  std::vector<double> jct, queue, fragmentation, partial;
  auto ratio = [](double ours, double theirs) { return theirs > 0 ? ours / theirs : 1.0; };
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto trace = syntheticTrace(
        {5000, static_cast<int>(tree.gpuCount()), 8, 256, 0.9, static_cast<unsigned>(seed)});
    for (bool backfill : {false, true}) {
      double slowest = 0;
      ReplayReport report = replayAll(tree, cost, trace, backfill, "synthetic", &slowest);
      const ReplaySummary& ours = policy(report, "topoplan");
      const ReplaySummary& bestFit = policy(report, "best-fit");
      jct.push_back(ratio(ours.jctMeanS, bestFit.jctMeanS));
      queue.push_back(ratio(ours.queueMeanS, bestFit.queueMeanS));
      fragmentation.push_back(ratio(ours.fragmentationMean, bestFit.fragmentationMean));
      partial.push_back(ratio(ours.partialLeavesMean, bestFit.partialLeavesMean));
      verdict.add(report);
    }
  }
  if (seeds == 0) return;
  auto line = [](const char* what, const std::vector<double>& ratios) {
    const SampleStats s = summarize(ratios);
    std::printf("  %-22s median %.3fx  min %.3fx  max %.3fx\n", what, s.median, s.min, s.max);
  };
  std::printf(
      "# %d synthetic traces of 5,000 jobs (load 0.9) on the 4,096-host fat tree, FIFO "
      "and EASY: topoplan / best-fit\n",
      seeds);
  line("jct mean", jct);
  line("queue mean", queue);
  line("fragmentation", fragmentation);
  line("leaves partly used", partial);
  std::printf("\n");
}

// Near saturation, where queueing is hours: on the 512-host fat tree (4 spines x 8 leaves x 16
// hosts, leaf uplinks 50 GB/s, spine uplinks 25 GB/s), `seeds` synthetic traces of 3,000 jobs of
// up to 64 nodes at offered loads 0.8 to 1.0, FIFO and EASY: topoplan's and topoplan-greedy's
// ratios to best-fit per seed at 0.95, then the medians per load. The headroom at 0.95: best-fit
// on the same tree without oversubscription (every uplink as fast as a host), where every gang
// runs at its best bandwidth, and the share of best-fit's run time spent communicating.
// Goal (at 0.95): topoplan's mean and p99 queueing at most best-fit's on every seed and queue
// rule, their median at most 0.95x, and mean JCT no worse.
void nearSaturation(const Topology& tree, const CostModel& cost, int seeds, Verdict& verdict) {
  auto ratio = [](double ours, double theirs) { return theirs > 0 ? ours / theirs : 1.0; };
  const CostModel unblocked = declared(tree, 1e6, 1e6);  // paths at the hosts' 50 GB/s
  std::printf(
      "# near saturation on the 512-host fat tree: %d seeds of 3,000 jobs (up to 64 nodes), "
      "FIFO and EASY; ratios to best-fit (queueing in hours)\n"
      "# load queue   seed  best-fit q_mean  comm | topoplan q_mean  q_p99  jct_mean | greedy "
      "q_mean  q_p99  jct_mean | best-fit unblocked q_mean\n",
      seeds);
  std::vector<double> meanRatios, p99Ratios, headroom;
  bool everySeed = true;
  for (double load : {0.8, 0.9, 0.95, 1.0}) {
    std::vector<double> q, p99, jct, greedyQ;
    for (int seed = 1; seed <= seeds; ++seed) {
      const auto trace = syntheticTrace(
          {3000, static_cast<int>(tree.gpuCount()), 8, 64, load, static_cast<unsigned>(seed)});
      for (bool backfill : {false, true}) {
        auto summary = [&](const char* name, const CostModel& model) {
          ReplayOptions options;
          options.policy = name;
          options.backfill = backfill;
          auto run = replay(tree, model, {}, trace, options);
          if (!run) {
            std::fprintf(stderr, "replay: %s\n", run.error().message().c_str());
            std::exit(1);
          }
          return run->summary;
        };
        const ReplaySummary ours = summary("topoplan", cost);
        const ReplaySummary greedy = summary("topoplan-greedy", cost);
        const ReplaySummary bestFit = summary("best-fit", cost);
        q.push_back(ratio(ours.queueMeanS, bestFit.queueMeanS));
        p99.push_back(ratio(ours.queueP99S, bestFit.queueP99S));
        jct.push_back(ratio(ours.jctMeanS, bestFit.jctMeanS));
        greedyQ.push_back(ratio(greedy.queueMeanS, bestFit.queueMeanS));
        if (load != 0.95) continue;
        verdict.add(ours, bestFit);
        meanRatios.push_back(q.back());
        p99Ratios.push_back(p99.back());
        everySeed = everySeed && q.back() <= 1 && p99.back() <= 1 && jct.back() <= 1;
        headroom.push_back(ratio(summary("best-fit", unblocked).queueMeanS, bestFit.queueMeanS));
        std::printf(
            "  %.2f %-5s %4d  %14.2fh %4.0f%% | %14.3fx  %.3fx  %.3fx   | %11.3fx  %.3fx  %.3fx   "
            "| %23.3fx\n",
            load, backfill ? "easy" : "fifo", seed, bestFit.queueMeanS / 3600,
            100 * bestFit.commShare, q.back(), p99.back(), jct.back(), greedyQ.back(),
            ratio(greedy.queueP99S, bestFit.queueP99S), ratio(greedy.jctMeanS, bestFit.jctMeanS),
            headroom.back());
      }
    }
    std::printf(
        "  load %.2f, medians over seeds and queue rules: topoplan q_mean %.3fx q_p99 %.3fx "
        "jct_mean %.3fx; topoplan-greedy q_mean %.3fx\n",
        load, summarize(q).median, summarize(p99).median, summarize(jct).median,
        summarize(greedyQ).median);
  }
  if (meanRatios.empty()) return;
  const bool met =
      everySeed && summarize(meanRatios).median <= 0.95 && summarize(p99Ratios).median <= 0.95;
  std::printf(
      "# headroom at 0.95: best-fit without oversubscription queues %.3fx (median) of best-fit\n"
      "# goal at load 0.95: topoplan's q_mean, q_p99 and jct_mean at most best-fit's on every "
      "seed and queue rule, q medians at most 0.95x: %s\n\n",
      summarize(headroom).median, met ? "met" : "missed");
}

// One synthetic trace of `jobs` jobs with EASY backfill: the figures and the speed.
void largeTrace(const Topology& tree, const CostModel& cost, int jobs, Verdict& verdict) {
  const auto trace = syntheticTrace({jobs, static_cast<int>(tree.gpuCount()), 8, 256, 0.9, 7});
  double slowest = 0;
  const auto begin = std::chrono::steady_clock::now();
  ReplayReport report = replayAll(tree, cost, trace, true, "synthetic", &slowest);
  report.traceFormat = "synthetic, load 0.9";
  report.cluster = "fat tree 16x16x16 hosts (leaf=50,spine=25)";
  std::printf("%s# %d jobs: slowest policy %.1f s (goal: under 60 s): %s; %zu policies %.1f s\n\n",
              replayTable(report).c_str(), jobs, slowest, slowest < 60 ? "met" : "missed",
              report.policies.size(), seconds(begin));
  verdict.add(report);
}

// What one planted fault does to a measured cluster.
struct FaultKind {
  const char* name;
  int degradedHosts, slowUplinks, misCabled;
};

// Measured clusters with planted faults: topoplan against best-fit per kind, over seeds.
void plantedFaults(int seeds, Verdict& verdict) {
  const FaultKind kinds[] = {{"degraded hosts (6 at 0.1x)", 6, 0, 0},
                             {"slow uplinks (2 racks at 0.25x)", 0, 2, 0},
                             {"mis-cabled hosts (4)", 0, 0, 4},
                             {"all three", 6, 2, 4}};
  auto ratio = [](double ours, double theirs) { return theirs > 0 ? ours / theirs : 1.0; };
  auto line = [](const char* what, const std::vector<double>& values, const char* unit) {
    const SampleStats s = summarize(values);
    std::printf("  %-30s median %.3f%s  min %.3f%s  max %.3f%s\n", what, s.median, unit, s.min,
                unit, s.max, unit);
  };
  std::printf(
      "# measured 2:1 leaf-spine, 128 hosts x 8 GPUs, planted faults; %d seeds x FIFO and EASY, "
      "2,000 jobs (load 0.9): topoplan / best-fit\n",
      seeds);
  for (const FaultKind& kind : kinds) {
    std::vector<double> jct, queue, busbw, ourShare, theirShare;
    for (int seed = 1; seed <= seeds; ++seed) {
      PlantedClusterSpec spec;
      spec.fabric.levels = {{"spine", 2, 1, 0.5}, {"leaf", 4, 2, 0.5}};
      spec.fabric.hostsPerDomain = 16;
      spec.fabric.degradedHosts = kind.degradedHosts;
      spec.fabric.degradedUplinks = kind.slowUplinks;
      spec.fabric.misCabledHosts = kind.misCabled;
      spec.fabric.contention = 0.1;
      spec.fabric.seed = static_cast<unsigned>(seed);
      auto cluster = plantCluster(spec);
      if (!cluster) {
        std::fprintf(stderr, "planted cluster: %s\n", cluster.error().message().c_str());
        std::exit(1);
      }
      const Topology& topology = *cluster->topology;
      const auto trace = syntheticTrace(
          {2000, static_cast<int>(topology.gpuCount()), 8, 32, 0.9, static_cast<unsigned>(seed)});
      for (bool backfill : {false, true}) {
        std::map<std::string, double> onDegraded;  // share of multi-node gangs touching one
        for (const char* name : {"topoplan", "best-fit"}) {
          ReplayOptions options;
          options.policy = name;
          options.backfill = backfill;
          auto run = replay(topology, *cluster->cost, cluster->degradedHosts, trace, options);
          if (!run) std::exit(1);
          int multi = 0, touching = 0;
          for (const ReplayJob& j : run->jobs) {
            if (j.hosts.size() < 2) continue;
            ++multi;
            touching += std::any_of(j.hosts.begin(), j.hosts.end(),
                                    [&](int h) { return cluster->degradedHosts.count(h) > 0; });
          }
          onDegraded[name] = multi ? 100.0 * touching / multi : 0;
        }
        double slowest = 0;
        const ReplayReport report = replayAll(topology, *cluster->cost, trace, backfill, kind.name,
                                              &slowest, cluster->degradedHosts);
        const ReplaySummary& ours = policy(report, "topoplan");
        const ReplaySummary& bestFit = policy(report, "best-fit");
        jct.push_back(ratio(ours.jctMeanS, bestFit.jctMeanS));
        queue.push_back(ratio(ours.queueMeanS, bestFit.queueMeanS));
        busbw.push_back(ratio(ours.busbwMeanGbps, bestFit.busbwMeanGbps));
        ourShare.push_back(onDegraded["topoplan"]);
        theirShare.push_back(onDegraded["best-fit"]);
        verdict.add(report);
      }
    }
    std::printf("%s\n", kind.name);
    line("jct mean", jct, "x");
    line("queue mean", queue, "x");
    line("busbw of multi-node gangs", busbw, "x");
    line("gangs on a degraded host, ours", ourShare, "%");
    line("gangs on a degraded host, best-fit", theirShare, "%");
  }
  std::printf("\n");
}

// Failures with planted rates: on a fat tree, every host failing with the same MTBF, the lost
// work per restart against what the checkpoint interval plants (C/2 on average: a failure falls
// anywhere in an interval); on a planted cluster whose degraded hosts fail 20 times as often, the
// restarts of topoplan (which keeps gangs off degraded hosts) against best-fit's.
void failures(const Topology& tree, const CostModel& cost, int seeds) {
  std::printf(
      "# failures on the 16x16x16 fat tree: MTBF 1,000 h per host (a host fails every ~15 min), "
      "MTTR 4 h, %d seeds of 2,000 jobs (load 0.9), EASY; per policy: median over seeds\n"
      "# checkpoint  policy     restarts  lost GPU-h  goodput  lost per restart (h)  "
      "C/2 (h, runs >> C)  jct / no failures\n",
      seeds);
  for (double checkpointMin : {0.0, 30.0, 120.0}) {
    for (const char* name : {"topoplan", "best-fit"}) {
      std::vector<double> restarts, lost, goodput, perRestart, jct;
      for (int seed = 1; seed <= seeds; ++seed) {
        const auto trace = syntheticTrace(
            {2000, static_cast<int>(tree.gpuCount()), 8, 256, 0.9, static_cast<unsigned>(seed)});
        ReplayOptions options;
        options.policy = name;
        options.backfill = true;
        options.seed = static_cast<unsigned>(seed);
        auto healthy = replay(tree, cost, {}, trace, options);
        options.mtbfS = 1000 * 3600.0;
        options.mttrS = 4 * 3600.0;
        options.checkpointS = checkpointMin * 60;
        auto failing = replay(tree, cost, {}, trace, options);
        if (!healthy || !failing) std::exit(1);
        const ReplaySummary& f = failing->summary;
        restarts.push_back(f.restarts);
        lost.push_back(f.lostGpuH);
        goodput.push_back(f.goodput);
        double lostHours = 0;  // per restart, of the gang's wall time (not GPU-hours)
        for (const ReplayJob& j : failing->jobs)
          for (const ReplayAttempt& a : j.attempts)
            if (a.failed) {
              const TraceJob& t = trace[static_cast<std::size_t>(j.job)];
              const double work = t.computeS + a.commS;
              lostHours += ((a.endS - a.startS) - (a.progressEnd - a.progressStart) * work) / 3600;
            }
        if (f.restarts > 0) perRestart.push_back(lostHours / f.restarts);
        jct.push_back(f.jctMeanS / healthy->summary.jctMeanS);
      }
      const auto median = [](const std::vector<double>& v) {
        return v.empty() ? 0.0 : summarize(v).median;
      };
      std::printf("  %6.0f min  %-9s %9.0f %11.0f %7.2f%% %21.3f %19s %18.3fx\n", checkpointMin,
                  name, median(restarts), median(lost), 100 * median(goodput), median(perRestart),
                  checkpointMin > 0 ? formatted("%.3f", checkpointMin / 120).c_str() : "(all)",
                  median(jct));
    }
  }
  // Degraded hosts that fail more often.
  std::vector<double> ours, theirs;
  for (int seed = 1; seed <= seeds; ++seed) {
    PlantedClusterSpec spec;
    spec.fabric.levels = {{"spine", 2, 1, 0.5}, {"leaf", 4, 2, 0.5}};
    spec.fabric.hostsPerDomain = 16;
    spec.fabric.degradedHosts = 6;
    spec.fabric.seed = static_cast<unsigned>(seed);
    auto cluster = plantCluster(spec);
    if (!cluster) std::exit(1);
    const Topology& topology = *cluster->topology;
    const auto trace = syntheticTrace(
        {2000, static_cast<int>(topology.gpuCount()), 8, 32, 0.9, static_cast<unsigned>(seed)});
    for (const char* name : {"topoplan", "best-fit"}) {
      ReplayOptions options;
      options.policy = name;
      options.backfill = true;
      options.seed = static_cast<unsigned>(seed);
      options.mtbfS = 20000 * 3600.0;
      options.mttrS = 4 * 3600.0;
      options.degradedFailureFactor = 20;
      options.checkpointS = 30 * 60;
      auto run = replay(topology, *cluster->cost, cluster->degradedHosts, trace, options);
      if (!run) std::exit(1);
      (std::string(name) == "topoplan" ? ours : theirs).push_back(run->summary.restarts);
    }
  }
  std::printf(
      "# planted 128-host cluster, 6 degraded hosts failing 20x as often (MTBF 1,000 h), %d "
      "seeds: restarts median topoplan %.0f, best-fit %.0f\n\n",
      seeds, summarize(ours).median, summarize(theirs).median);
}

// Whole-gang preemption: on a 512-host fat tree, offered load 1.1 (a queue that grows), a fifth of
// the jobs (drawn per seed) at priority 1, the rest at 0; EASY, a checkpoint every 30 min. Per
// policy, without and with --preempt: the mean and p99 queueing of each priority (from submission
// to the first start), what the preempted runs lost, and goodput.
void preemption(const Topology& tree, const CostModel& cost, int seeds) {
  std::printf(
      "# preemption on a 512-host fat tree (4 spines x 8 leaves x 16 hosts): %d seeds of 2,000 "
      "jobs of up to 64 nodes (load 1.1), a fifth at priority 1, EASY, a checkpoint every 30 min; "
      "median over seeds (queueing in hours)\n"
      "# policy     preempt  q_mean hi  q_p99 hi  q_mean lo  q_p99 lo  jct_mean  preemptions  "
      "lost GPU-h  goodput\n",
      seeds);
  for (const char* name : {"topoplan", "best-fit"}) {
    for (bool preempt : {false, true}) {
      std::vector<double> qHi, qHi99, qLo, qLo99, jct, count, lost, goodput;
      for (int seed = 1; seed <= seeds; ++seed) {
        auto trace = syntheticTrace(
            {2000, static_cast<int>(tree.gpuCount()), 8, 64, 1.1, static_cast<unsigned>(seed)});
        std::mt19937 draw(static_cast<unsigned>(seed) * 7919u);
        for (TraceJob& j : trace) j.priority = draw() % 5 == 0;
        ReplayOptions options;
        options.policy = name;
        options.backfill = true;
        options.seed = static_cast<unsigned>(seed);
        options.checkpointS = 30 * 60;
        options.preempt = preempt;
        auto run = replay(tree, cost, {}, trace, options);
        if (!run) std::exit(1);
        std::vector<double> hi, lo;
        for (const ReplayJob& j : run->jobs) {
          if (j.startS < 0) continue;
          (trace[static_cast<std::size_t>(j.job)].priority ? hi : lo)
              .push_back((j.startS - j.submitS) / 3600);
        }
        for (auto* v : {&hi, &lo}) std::sort(v->begin(), v->end());
        qHi.push_back(summarize(hi).mean);
        qHi99.push_back(hi.empty() ? 0 : quantileSorted(hi, 0.99));
        qLo.push_back(summarize(lo).mean);
        qLo99.push_back(lo.empty() ? 0 : quantileSorted(lo, 0.99));
        jct.push_back(run->summary.jctMeanS / 3600);
        count.push_back(run->summary.preemptions);
        lost.push_back(run->summary.lostGpuH);
        goodput.push_back(run->summary.goodput);
      }
      const auto median = [](const std::vector<double>& v) { return summarize(v).median; };
      std::printf("  %-9s %8s %10.2f %9.2f %10.2f %9.2f %9.2f %12.0f %11.0f %7.2f%%\n", name,
                  preempt ? "yes" : "no", median(qHi), median(qHi99), median(qLo), median(qLo99),
                  median(jct), median(count), median(lost), 100 * median(goodput));
    }
  }
  std::printf("\n");
}

// Fair share: the same fat tree and load, two teams of equal shares, team a submitting 80% of
// the jobs. Per queue rule (EASY, and EASY ordered by fair share with a 1-day half-life): each
// team's mean queueing and its share of the GPU-hours.
void fairShare(const Topology& tree, const CostModel& cost, int seeds) {
  std::printf(
      "# fair share on the 512-host fat tree: %d seeds of 2,000 jobs (load 1.1), team a submits "
      "80%%, b 20%%, equal shares, topoplan; median over seeds (queueing in hours)\n"
      "# queue       q_mean a  q_mean b  q_p99 a  q_p99 b  GPU-h share b  jct_mean\n",
      seeds);
  for (bool fair : {false, true}) {
    std::vector<double> qa, qb, pa, pb, shareB, jct;
    for (int seed = 1; seed <= seeds; ++seed) {
      auto trace = syntheticTrace(
          {2000, static_cast<int>(tree.gpuCount()), 8, 64, 1.1, static_cast<unsigned>(seed)});
      std::mt19937 draw(static_cast<unsigned>(seed) * 104729u);
      for (TraceJob& j : trace) j.team = draw() % 5 == 0 ? "b" : "a";
      ReplayOptions options;
      options.backfill = true;
      options.fairShare = fair;
      options.fairShareHalfLifeS = 86400;
      options.seed = static_cast<unsigned>(seed);
      auto run = replay(tree, cost, {}, trace, options);
      if (!run || run->summary.teams.size() != 2) std::exit(1);
      const TeamFigures& a = run->summary.teams[0];
      const TeamFigures& b = run->summary.teams[1];
      qa.push_back(a.queueMeanS / 3600);
      qb.push_back(b.queueMeanS / 3600);
      pa.push_back(a.queueP99S / 3600);
      pb.push_back(b.queueP99S / 3600);
      shareB.push_back(b.gpuH / (a.gpuH + b.gpuH));
      jct.push_back(run->summary.jctMeanS / 3600);
    }
    const auto median = [](const std::vector<double>& v) { return summarize(v).median; };
    std::printf("  %-11s %8.2f %9.2f %8.2f %8.2f %13.1f%% %9.2f\n", fair ? "fairshare" : "easy",
                median(qa), median(qb), median(pa), median(pb), 100 * median(shareB), median(jct));
  }
  std::printf("\n");
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  using namespace topoplan;
  CLI::App app{"Trace replay: policies side by side, and speed"};
  int jobs = 100'000, seeds = 5;
  std::vector<std::string> sections = {"kalos",      "synthetic", "faults",     "failures",
                                       "preemption", "fairshare", "saturation", "large"};
  app.add_option("--jobs", jobs, "jobs of the large synthetic trace")
      ->check(CLI::Range(1, 10'000'000));
  app.add_option("--seeds", seeds, "synthetic traces of 5,000 jobs, planted clusters")
      ->check(CLI::Range(0, 1000));
  app.add_option("--sections", sections, "which parts to run")
      ->delimiter(',')
      ->check(CLI::IsMember({"kalos", "synthetic", "faults", "failures", "preemption", "fairshare",
                             "saturation", "large"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto wanted = [&](const char* name) {
    return std::find(sections.begin(), sections.end(), name) != sections.end();
  };
  Verdict verdict;
  if (wanted("kalos") && !kalosOnTheClos(verdict)) return 1;
  auto tree = syntheticTopology("spine=16,leaf=16,host=16,gpu=8");
  if (!tree) return 1;
  const CostModel treeCost = declared(*tree, 50, 25);
  if (wanted("synthetic")) syntheticRatios(*tree, treeCost, seeds, verdict);
  if (wanted("faults")) plantedFaults(seeds, verdict);
  if (wanted("failures")) failures(*tree, treeCost, seeds);
  if (wanted("preemption") || wanted("fairshare") || wanted("saturation")) {
    auto small = syntheticTopology("spine=4,leaf=8,host=16,gpu=8");
    if (!small) return 1;
    const CostModel smallCost = declared(*small, 50, 25);
    if (wanted("preemption")) preemption(*small, smallCost, seeds);
    if (wanted("fairshare")) fairShare(*small, smallCost, seeds);
    if (wanted("saturation")) nearSaturation(*small, smallCost, seeds, verdict);
  }
  if (wanted("large")) largeTrace(*tree, treeCost, jobs, verdict);
  std::printf(
      "# quality over %d replays: topoplan's mean JCT at most best-fit's in %d, queueing "
      "delay in %d, fragmentation (stranded + partly used leaves) below in %d\n",
      verdict.runs, verdict.jct, verdict.queue, verdict.fragmentation);
  return 0;
}
