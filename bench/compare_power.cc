// How often `topoplan compare` is right: the gate's power and false alarms, measured.
//
//   build/bench/compare_power [--trials 2000] [--data tests/data] [--tolerance 0.05]
//                             [--alpha 0.05]
//
// Each trial draws a baseline and a current sample set of n values (n = 10, 20, 50), the current
// one slower by a true change (0%, 5%, 10%, 30%), builds the two runs' metrics as the documents
// would (the figure the median, its samples the values) and asks compareMetrics
// (report/gate/compare.h) for a verdict with the default settings. Printed: the share of trials
// called "regressed".
//
// - lognormal noise at CV 5%, 15% and 30%;
// - real recorded noise: every samples_us and bw_samples_gbps series of 10 or more values in the
//   documents under --data (series equal up to scale counted once), each drawn with replacement
//   (bootstrap), its shape kept;
// - a run of 50 unchanged metrics (lognormal, CV 15%, n 20): how often any of them is flagged,
//   with the default Holm correction and with none;
// - the real A/A pair tests/data/compare/samples-{baseline,rerun}.json (two back-to-back runs of
//   one command): what the gate says of them;
// - run-to-run drift (a per-run lognormal factor on top of within-run noise): two runs, histories
//   (compare B1..Bk NEW) and interleaved pairs (topoplan ab), A/A and with a 10% drop, by cost;
// - the recorded A/A histories tests/data/compare/aa-{quiet,loaded}.jsonl (96 and 32 runs of one
//   command on this project's 2-core machine): every window of consecutive runs as a job.
//
// Goals: with no change, a metric is flagged in < 5% of the trials, and a run of 50 unchanged
// metrics fails the gate in < 5%; a 10% regression with 20 samples at CV 15% is caught in >= 90%.
// With drift: an unchanged build fails < 5% of A/A jobs (modeled and recorded), and a 10% drop is
// caught in >= 90% of jobs with the --runs the README recommends for the runner's drift.
// The last is above what any test at alpha 0.05 can do with 20 independent samples at CV 15%:
// the one-sided t test, the most powerful there is for normal noise, catches it ~73% of the time,
// and the rows print that bound beside the gate ("t bound"), with the n it would take.
#include <CLI/CLI.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/stats.h"
#include "report/gate/compare.h"
#include "report/gate/run_history.h"
#include "report/gate/run_level_compare.h"

namespace topoplan {
namespace {

using Draw = std::function<std::vector<double>(std::mt19937_64&, int n, double scale)>;

Metric metricOf(const std::string& key, std::vector<double> values) {
  Metric m;
  m.key = key;
  m.unit = "busbw_gbps";
  const SampleStats stats = summarize(values);
  m.value = stats.median;
  m.noise = relativeSpread(stats.p10, stats.p90, stats.median);
  m.samples = static_cast<int>(values.size());
  m.sampleValues = std::move(values);
  return m;
}

// The share of `trials` in which a single metric, `change` slower, is called regressed.
double regressedShare(const Draw& draw, int n, double change, int trials,
                      const CompareSettings& settings, std::mt19937_64& rng) {
  int regressed = 0;
  for (int t = 0; t < trials; ++t) {
    MetricSet baseline, current;
    baseline.metrics.push_back(metricOf("m", draw(rng, n, 1.0)));
    current.metrics.push_back(metricOf("m", draw(rng, n, 1.0 - change)));
    regressed += compareMetrics(baseline, current, settings).count(Verdict::kRegressed);
  }
  return static_cast<double>(regressed) / trials;
}

Draw lognormal(double cv) {
  const double sigma = std::sqrt(std::log1p(cv * cv));
  return [sigma](std::mt19937_64& rng, int n, double scale) {
    std::lognormal_distribution<double> noise(0.0, sigma);
    std::vector<double> values(static_cast<std::size_t>(n));
    for (double& v : values) v = 10.0 * scale * noise(rng);
    return values;
  };
}

Draw bootstrap(std::vector<double> series) {
  return [series = std::move(series)](std::mt19937_64& rng, int n, double scale) {
    std::uniform_int_distribution<std::size_t> pick(0, series.size() - 1);
    std::vector<double> values(static_cast<std::size_t>(n));
    for (double& v : values) v = scale * series[pick(rng)];
    return values;
  };
}

// Power of the one-sided two-sample t test at `alpha` for a shift of `change` in log scale with
// per-sample log spread of CV `cv`, n per run (normal approximation): the ceiling for any test.
double tBound(double cv, int n, double change, double alpha) {
  const boost::math::normal z;
  const double d = -std::log1p(-change) / std::sqrt(std::log1p(cv * cv));
  return boost::math::cdf(z, d * std::sqrt(n / 2.0) - boost::math::quantile(z, 1 - alpha));
}

int nForPower(double cv, double change, double alpha, double power) {
  for (int n = 2; n < 10000; ++n)
    if (tBound(cv, n, change, alpha) >= power) return n;
  return 10000;
}

// Each series of 10 or more values named samples_us (as rates: 1 / time) or bw_samples_gbps.
void collectSeries(const nlohmann::json& node, std::vector<std::vector<double>>& out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if ((key == "samples_us" || key == "bw_samples_gbps") && value.is_array() &&
          value.size() >= 10) {
        std::vector<double> series;
        for (const auto& v : value)
          if (v.is_number() && v.get<double>() > 0)
            series.push_back(key == "samples_us" ? 1.0 / v.get<double>() : v.get<double>());
        if (series.size() < 10) continue;
        // A document derived from another (a copy with one record scaled) repeats its noise:
        // series equal up to scale are one.
        const double median = summarize(series).median;
        for (double& v : series) v /= median;
        if (std::find(out.begin(), out.end(), series) == out.end())
          out.push_back(std::move(series));
      } else {
        collectSeries(value, out);
      }
    }
  } else if (node.is_array()) {
    for (const auto& v : node) collectSeries(v, out);
  }
}

const std::vector<int> kCounts{10, 20, 50};
const std::vector<double> kChanges{0.0, 0.05, 0.10, 0.30};

void printHeader(const char* title) {
  std::printf("\n%s\n%-26s %4s", title, "noise", "n");
  for (double c : kChanges) std::printf("  %5.0f%%", c * 100);
  std::printf("   (share called regressed, by true change)\n");
}

void printRow(const std::string& noise, int n, const Draw& draw, int trials,
              const CompareSettings& settings, std::mt19937_64& rng, double cv) {
  std::printf("%-26s %4d", noise.c_str(), n);
  for (double change : kChanges)
    std::printf("  %5.1f%%", 100 * regressedShare(draw, n, change, trials, settings, rng));
  if (cv > 0) std::printf("   t bound at 10%%: %4.1f%%", 100 * tBound(cv, n, 0.10, settings.alpha));
  std::printf("\n");
}

void lognormalTable(int trials, const CompareSettings& settings, std::mt19937_64& rng) {
  printHeader("lognormal noise");
  for (double cv : {0.05, 0.15, 0.30})
    for (int n : kCounts)
      printRow("lognormal CV " + std::to_string(static_cast<int>(cv * 100)) + "%", n, lognormal(cv),
               trials, settings, rng, cv);
  std::printf("n for 90%% power at 10%% (t bound): CV 5%% %d, CV 15%% %d, CV 30%% %d\n",
              nForPower(0.05, 0.10, settings.alpha, 0.9),
              nForPower(0.15, 0.10, settings.alpha, 0.9),
              nForPower(0.30, 0.10, settings.alpha, 0.9));
}

void recordedNoiseTable(const std::string& data, int trials, const CompareSettings& settings,
                        std::mt19937_64& rng) {
  // Real noise: every recorded series, bootstrapped; the share is the mean over the series.
  std::vector<std::vector<double>> series;
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
    if (entry.path().extension() != ".json") continue;
    auto text = readFile(entry.path().string());
    if (!text) continue;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded()) continue;
    const std::size_t before = series.size();
    collectSeries(json, series);
    if (series.size() > before) files.push_back(entry.path().filename().string());
  }
  std::printf("\nreal noise: %zu series of >= 10 samples from %zu documents under %s\n",
              series.size(), files.size(), data.c_str());
  if (!series.empty()) {
    std::vector<double> cvs;
    for (const auto& s : series) cvs.push_back(summarize(s).cv);
    const SampleStats cv = summarize(cvs);
    std::printf("their CV: median %.1f%%, p90 %.1f%%, max %.1f%%\n", 100 * cv.median, 100 * cv.p90,
                100 * cv.max);
    printHeader("real noise (bootstrap, mean over the series)");
    const int perSeries = std::max(10, trials / static_cast<int>(series.size()));
    for (int n : kCounts) {
      std::printf("%-26s %4d", "recorded series", n);
      for (double change : kChanges) {
        double sum = 0;
        for (const auto& s : series)
          sum += regressedShare(bootstrap(s), n, change, perSeries, settings, rng);
        std::printf("  %5.1f%%", 100 * sum / static_cast<double>(series.size()));
      }
      std::printf("\n");
    }
  }
}

void familyOfUnchanged(int trials, const CompareSettings& settings, std::mt19937_64& rng) {
  // A run of 50 unchanged metrics: the chance the gate fails (any metric regressed).
  std::printf("\n50 unchanged metrics (lognormal CV 15%%, n 20): runs failing the gate\n");
  for (const char* correction : {"holm", "bh", "none"}) {
    CompareSettings family = settings;
    family.correction = correction;
    const Draw draw = lognormal(0.15);
    int failed = 0, flagged = 0;
    const int runs = std::max(10, trials / 2);
    for (int t = 0; t < runs; ++t) {
      MetricSet baseline, current;
      for (int m = 0; m < 50; ++m) {
        baseline.metrics.push_back(metricOf("m" + std::to_string(m), draw(rng, 20, 1.0)));
        current.metrics.push_back(metricOf("m" + std::to_string(m), draw(rng, 20, 1.0)));
      }
      const int regressed = compareMetrics(baseline, current, family).count(Verdict::kRegressed);
      failed += regressed > 0;
      flagged += regressed;
    }
    std::printf("  correction %-5s %5.1f%% of %d runs failed, %.2f%% of metrics flagged\n",
                correction, 100.0 * failed / runs, runs, 100.0 * flagged / (50.0 * runs));
  }
}

void realAA(const std::string& data, const CompareSettings& settings) {
  // The real A/A pair: two back-to-back runs of one command on one machine.
  const std::string dir = data + "/compare/";
  auto a = readMetrics(dir + "samples-baseline.json");
  auto b = readMetrics(dir + "samples-rerun.json");
  if (a && b) {
    const CompareResult aa = compareMetrics(*a, *b, settings);
    std::printf(
        "\nreal A/A (samples-baseline vs samples-rerun, %zu metrics): %d regressed, "
        "%d improved, %d inconclusive, %d unchanged\n",
        aa.items.size(), aa.count(Verdict::kRegressed), aa.count(Verdict::kImproved),
        aa.count(Verdict::kInconclusive), aa.count(Verdict::kUnchanged));
    for (double tolerance : {0.10, 0.20, 0.30}) {
      CompareSettings wider = settings;
      wider.tolerance = tolerance;
      const CompareResult w = compareMetrics(*a, *b, wider);
      std::printf("  at --tolerance %.2f: %d regressed, %d improved\n", tolerance,
                  w.count(Verdict::kRegressed), w.count(Verdict::kImproved));
    }
  }
}

// --- Run-to-run drift: the run, not the iteration, is the unit ---------------------------------
//
// Each run has a factor of its own (lognormal, CV 5, 10 or 15%), common to all its metrics, on
// top of within-run noise (lognormal CV 10%, 20 samples). Strategies, each by what it costs:
//   two runs        compare BASE NEW (U test of the samples): 1 run per job
//   history k       compare B1..Bk NEW: 1 run per job (the history comes from earlier jobs)
//   history k, m    compare B1..Bk N1..Nm --candidates m: m runs per job
//   ab K            topoplan ab --runs K: 2K runs per job
// Printed: the share of jobs failing the gate with no change (A/A), and with a 10% regression.

struct DriftModel {
  double runCv;
  double sampleCv = 0.10;
  int samples = 20;
};

// One run of `metrics` metrics; metric 0 is `change` slower.
MetricSet driftRun(std::mt19937_64& rng, const DriftModel& model, int metrics, double change) {
  std::lognormal_distribution<double> run(0.0, std::sqrt(std::log1p(model.runCv * model.runCv)));
  const double factor = run(rng);
  MetricSet set;
  set.source = "run";
  for (int k = 0; k < metrics; ++k) {
    Metric m =
        metricOf("m" + std::to_string(k),
                 lognormal(model.sampleCv)(rng, model.samples, factor * (k == 0 ? 1 - change : 1)));
    set.metrics.push_back(std::move(m));
  }
  return set;
}

struct Strategy {
  std::string name;
  int baselineRuns = 0, candidateRuns = 1;
  bool paired = false;  // ab: candidateRuns pairs
  int runsPerJob() const { return paired ? 2 * candidateRuns : candidateRuns; }
};

// The share of jobs failing the gate (any metric regressed) and the share catching metric 0.
std::pair<double, double> driftShares(const Strategy& s, const DriftModel& model, int metrics,
                                      double change, int trials, const CompareSettings& settings,
                                      std::mt19937_64& rng) {
  int failed = 0, caught = 0;
  for (int t = 0; t < trials; ++t) {
    std::vector<MetricSet> base, current;
    for (int i = 0; i < std::max(s.baselineRuns, s.paired ? s.candidateRuns : 0); ++i)
      base.push_back(driftRun(rng, model, metrics, 0));
    for (int i = 0; i < s.candidateRuns; ++i)
      current.push_back(driftRun(rng, model, metrics, change));
    const CompareResult r =
        s.paired ? comparePaired(base, current, settings) : compareHistory(base, current, settings);
    failed += r.count(Verdict::kRegressed) > 0;
    for (const Comparison& c : r.items) caught += c.key == "m0" && c.verdict == Verdict::kRegressed;
  }
  return {static_cast<double>(failed) / trials, static_cast<double>(caught) / trials};
}

std::vector<Strategy> driftStrategies() {
  return {{"two runs (U test)", 1, 1, false},
          {"history k=10", 10, 1, false},
          {"history k=40", 40, 1, false},
          {"history k=40, m=3", 40, 3, false},
          {"history k=20", 20, 1, false},
          {"ab K=8", 0, 8, true},
          {"ab K=16", 0, 16, true},
          {"ab K=32", 0, 32, true},
          {"ab K=64", 0, 64, true}};
}

void driftTable(int trials, const CompareSettings& settings, std::mt19937_64& rng) {
  std::printf(
      "\nrun-to-run drift: per-run factor lognormal (CV below, common to a run's metrics) on top "
      "of within-run noise (lognormal CV 10%%, 20 samples); share of jobs failing the gate\n"
      "%-20s %5s",
      "strategy", "runs");
  const double cvs[] = {0.05, 0.10, 0.15};
  for (double cv : cvs) std::printf("   CV %2.0f%%: A/A  10%% drop", 100 * cv);
  std::printf("\n");
  const int perCell = std::max(20, trials / 4);
  for (const Strategy& s : driftStrategies()) {
    std::printf("%-20s %5d", s.name.c_str(), s.runsPerJob());
    for (double cv : cvs) {
      const auto aa = driftShares(s, {cv}, 1, 0.0, perCell, settings, rng);
      const auto drop = driftShares(s, {cv}, 1, 0.10, perCell, settings, rng);
      std::printf("   %9.1f%% %8.1f%%", 100 * aa.first, 100 * drop.second);
    }
    std::printf("\n");
  }
  std::printf(
      "\n16 metrics per run, metric 0 10%% slower (Holm over the 16): jobs failing with no change, "
      "and metric 0 caught\n");
  for (const Strategy& s : {Strategy{"history k=40", 40, 1, false},
                            Strategy{"ab K=16", 0, 16, true}, Strategy{"ab K=32", 0, 32, true}}) {
    std::printf("%-20s %5d", s.name.c_str(), s.runsPerJob());
    for (double cv : cvs) {
      const auto aa = driftShares(s, {cv}, 16, 0.0, perCell / 4, settings, rng);
      const auto drop = driftShares(s, {cv}, 16, 0.10, perCell / 4, settings, rng);
      std::printf("   %9.1f%% %8.1f%%", 100 * aa.first, 100 * drop.second);
    }
    std::printf("\n");
  }
}

// --- Recorded A/A histories from this machine ------------------------------------------------

MetricSet scaledRun(MetricSet run, double factor) {
  for (Metric& m : run.metrics) {
    m.value *= factor;
    for (double& v : m.sampleValues) v *= factor;
  }
  return run;
}

// Every window of the recorded runs as a job: A/A as recorded, and with the candidate side 10%
// slower. Prints the share of jobs failing and of (job, metric) pairs flagged.
void recordedWindows(const std::string& label, const std::vector<MetricSet>& runs,
                     const Strategy& s, const CompareSettings& settings) {
  int jobs = 0, failedAA = 0, failedDrop = 0, metrics = 0, caught = 0;
  const int span = s.paired ? 2 * s.candidateRuns : s.baselineRuns + s.candidateRuns;
  for (int start = 0; start + span <= static_cast<int>(runs.size()); ++start) {
    std::vector<MetricSet> base, current, slower;
    for (int i = 0; i < span; ++i) {
      const MetricSet& run = runs[static_cast<std::size_t>(start + i)];
      // ab: runs in recorded order are pairs (A B), (B A), ...; history: the last m are candidates.
      const bool candidate = s.paired ? i % 2 == 1 : i >= s.baselineRuns;
      (candidate ? current : base).push_back(run);
      if (candidate) slower.push_back(scaledRun(run, 0.9));
    }
    const auto judge = [&](const std::vector<MetricSet>& c) {
      return s.paired ? comparePaired(base, c, settings) : compareHistory(base, c, settings);
    };
    const CompareResult aa = judge(current), drop = judge(slower);
    ++jobs;
    failedAA += aa.count(Verdict::kRegressed) > 0;
    failedDrop += drop.count(Verdict::kRegressed) > 0;
    metrics += static_cast<int>(drop.items.size());
    caught += drop.count(Verdict::kRegressed);
  }
  if (jobs == 0) return;
  std::printf("%-12s %-20s %5d %6d %9.1f%% %11.1f%% %13.1f%%\n", label.c_str(), s.name.c_str(),
              s.runsPerJob(), jobs, 100.0 * failedAA / jobs, 100.0 * failedDrop / jobs,
              100.0 * caught / std::max(metrics, 1));
}

double medianRunCv(const std::vector<MetricSet>& runs) {
  std::map<std::string, std::vector<double>> logs;
  for (const MetricSet& run : runs)
    for (const Metric& m : run.metrics)
      if (m.value > 0) logs[m.key].push_back(std::log(m.value));
  std::vector<double> sds;
  for (const auto& [key, x] : logs) {
    if (x.size() < 3) continue;
    double mean = 0, ss = 0;
    for (double v : x) mean += v / static_cast<double>(x.size());
    for (double v : x) ss += (v - mean) * (v - mean);
    sds.push_back(std::sqrt(ss / static_cast<double>(x.size() - 1)));
  }
  return sds.empty() ? 0 : summarize(sds).median;
}

void recordedHistories(const std::string& data, const CompareSettings& settings) {
  std::printf(
      "\nrecorded A/A runs of one command on this machine (mpirun -np 4 topoplan allreduce --algo "
      "ring,mpi -b 64K -e 4M -f 4 -n 20; 16 metrics), every window of consecutive runs as a job\n"
      "%-12s %-20s %5s %6s %10s %12s %14s\n",
      "history", "strategy", "runs", "jobs", "A/A fail", "10% fail", "10% flagged");
  for (const char* name : {"aa-quiet", "aa-loaded"}) {
    auto runs = readRuns(data + "/compare/" + name + ".jsonl");
    if (!runs) {
      std::printf("%s: %s\n", name, runs.error().message().c_str());
      continue;
    }
    const std::vector<Strategy> strategies = {
        {"two runs (U test)", 1, 1, false}, {"history k=10", 10, 1, false},
        {"history k=40", 40, 1, false},     {"history k=40, m=3", 40, 3, false},
        {"history k=20", 20, 1, false},     {"ab K=8", 0, 8, true},
        {"ab K=16", 0, 16, true},           {"ab K=24", 0, 24, true}};
    for (const Strategy& s : strategies) recordedWindows(name, *runs, s, settings);
    std::printf(
        "%-12s between-run spread (median over metrics of the log sd of run medians): %.1f%%\n",
        name, 100 * medianRunCv(*runs));
  }
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  using namespace topoplan;
  CLI::App app{"compare_power: how often topoplan compare calls a regression, by noise and size"};
  int trials = 2000;
  std::string data = TOPOPLAN_TEST_DATA;
  CompareSettings settings;
  app.add_option("--trials", trials, "trials per cell")->check(CLI::Range(10, 1000000));
  app.add_option("--data", data, "folder of recorded documents (real noise)");
  app.add_option("--tolerance", settings.tolerance, "compare --tolerance")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--alpha", settings.alpha, "compare --alpha")->check(CLI::Range(1e-9, 0.5));
  CLI11_PARSE(app, argc, argv);
  std::mt19937_64 rng(20261202);
  std::printf("rule: %s\n", compareRule(settings).c_str());
  lognormalTable(trials, settings, rng);
  recordedNoiseTable(data, trials, settings, rng);
  familyOfUnchanged(trials, settings, rng);
  realAA(data, settings);
  driftTable(trials, settings, rng);
  recordedHistories(data, settings);
  return 0;
}
