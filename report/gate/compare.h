// Comparing two runs, metric by metric (metrics.h), and the views of the outcome: a text table,
// a Markdown summary, JUnit XML, the Prometheus text format and the topoplan.compare/v1 document.
//
// The rule, with change = (current - baseline) / baseline of the two figures:
//
// - Both runs kept their samples (samples_us, bw_samples_gbps): the two sample sets are tested
//   with the Mann-Whitney U test (significance.h), as google/benchmark's compare.py does, and the
//   p-values of all tested metrics adjusted for their number (Holm by default: the chance of any
//   false alarm in the run stays below alpha; or Benjamini-Hochberg, or none). A metric has
//   regressed when -change exceeds the tolerance and its adjusted p is below alpha; improved
//   likewise; otherwise unchanged. "Inconclusive" when the change exceeds the tolerance but the
//   samples are too few to ever reach alpha (or fewer than --min-samples): it says how many
//   each run needs.
// - Otherwise (documents without samples, nccl-tests logs: one figure per size) the summary
//   rule, and the output says no test was possible: noise = the larger relative spread
//   (p90 - p10) / median of the two runs; regressed when -change exceeds both the tolerance and
//   the noise.
//
// Metrics only in the baseline are "missing", only in the current run "new" (neither fails).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/gate/metrics.h"

namespace topoplan {

enum class Verdict { kRegressed, kImproved, kInconclusive, kUnchanged, kMissing, kNew };
const char* name(Verdict verdict);

// How a matched metric was judged: the U test of two runs' samples, the summary rule, or a t test
// of run-level values (run_level_compare.h): a history of baseline runs, or interleaved pairs.
enum class Method { kNone, kUTest, kSummary, kHistory, kPaired };

// Two runs (compareMetrics), a history of baseline runs and candidate runs (compareHistory), or
// interleaved A/B pairs (comparePaired).
enum class CompareMode { kTwoRuns, kHistory, kPaired };

struct CompareSettings {
  double tolerance = 0.05;          // relative
  double alpha = 0.05;              // the false-alarm rate over the whole run (Holm) or per metric
  int minSamples = 5;               // per run, for a test
  std::string correction = "holm";  // holm, bh or none
  int window = 10;  // history: the latest baseline runs a candidate is compared with (backtest)
};

struct Comparison {
  std::string key;
  std::string unit;
  Verdict verdict = Verdict::kUnchanged;
  Method method = Method::kNone;
  double baseline = 0;  // NaN when missing
  double current = 0;   // NaN when new
  double change = 0;    // relative
  double noise = 0;     // relative
  int baselineSamples = 0, currentSamples = 0;
  double p = 0;           // the U test's two-sided p; NaN when not tested
  double pAdjusted = 0;   // after the correction; NaN when not tested
  int samplesNeeded = 0;  // per run, when inconclusive (U test)
  // Run-level methods: the runs (or pairs) behind each figure, and how many baseline runs (or
  // pairs) an inconclusive change would need to be decided.
  int baselineRuns = 0, currentRuns = 0;
  int runsNeeded = 0;
};

struct CompareResult {
  std::string baselineSource, currentSource;
  CompareSettings settings;
  std::vector<Comparison> items;
  CompareMode mode = CompareMode::kTwoRuns;
  std::string note;  // said with every view, e.g. that between-run noise is unknown  // regressions
                     // first, then improvements, inconclusive, the rest
  int count(Verdict verdict) const;
  int count(Method method) const;
};

CompareResult compareMetrics(const MetricSet& baseline, const MetricSet& current,
                             const CompareSettings& settings);

// The rule in words, as every output states it.
std::string compareRule(const CompareSettings& settings, CompareMode mode = CompareMode::kTwoRuns);

// The p-values adjusted for their number by `correction` (holm, bh or none), in the order given.
std::vector<double> adjustP(const std::vector<double>& p, const std::string& correction);
// What a p-value is multiplied by at most under `correction` with `tests` tests.
double correctionFactor(int tests, const std::string& correction);

// regressed when -change exceeds the tolerance, improved when change does, if `significant`;
// otherwise unchanged.
Verdict verdictOf(double change, double tolerance, bool significant);

// Sorts the items as every view lists them: regressions first, then improvements, inconclusive,
// the rest.
void sortByVerdict(std::vector<Comparison>& items);

// The fewest samples per run for which the U test can reach `alpha` with `tests` metrics tested
// under `correction` (the exact test's smallest p is 2 / C(2n, n)).
int samplesNeededForAlpha(double alpha, int tests, const std::string& correction);

std::string compareText(const CompareResult& result);
std::string compareMarkdown(const CompareResult& result);
std::string compareJunit(const CompareResult& result);
nlohmann::ordered_json compareDocument(const CompareResult& result,
                                       const std::vector<std::string>& argv);
// The metrics of one run as Prometheus text (for node_exporter's textfile collector).
std::string prometheusText(const MetricSet& metrics);

// Escapes &, <, >, " and ' for XML and HTML text and attributes.
std::string xmlEscape(const std::string& text);

}  // namespace topoplan
