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
//   one command): what the gate says of them.
//
// Goals: with no change, a metric is flagged in < 5% of the trials, and a run of 50 unchanged
// metrics fails the gate in < 5%; a 10% regression with 20 samples at CV 15% is caught in >= 90%.
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
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/atomic_file.h"
#include "core/stats.h"
#include "report/gate/compare.h"

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
  return 0;
}
