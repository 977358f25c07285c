#include "report/gate/run_level_compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace topoplan {
namespace {

// One run with one metric "m" of `value` (and its samples, if any).
MetricSet run(double value, std::vector<double> samples = {}) {
  MetricSet set;
  set.source = "run " + std::to_string(value);
  Metric m;
  m.key = "m";
  m.unit = "busbw_gbps";
  m.value = value;
  m.samples = static_cast<int>(samples.size());
  m.sampleValues = std::move(samples);
  set.metrics.push_back(m);
  return set;
}

Metric metric(const std::string& key, double value) {
  Metric m;
  m.key = key;
  m.unit = "busbw_gbps";
  m.value = value;
  return m;
}

std::vector<MetricSet> runs(const std::vector<double>& values) {
  std::vector<MetricSet> out;
  for (double v : values) out.push_back(run(v));
  return out;
}

const CompareSettings kDefaults{0.05, 0.05, 5, "holm"};

TEST(CompareHistory, IsTheTPredictionIntervalOfTheNextRun) {
  // Three baseline runs, log values mean m and sd s; with 2 degrees of freedom Student's t has a
  // closed form: two-sided p = 1 - |t| / sqrt(2 + t^2).
  const std::vector<double> base{10, 11, 9};
  const CompareResult r = compareHistory(runs(base), {run(7)}, kDefaults);
  ASSERT_EQ(r.items.size(), 1u);
  const Comparison& c = r.items[0];
  EXPECT_EQ(r.mode, CompareMode::kHistory);
  EXPECT_EQ(c.method, Method::kHistory);
  double m = 0, ss = 0;
  for (double v : base) m += std::log(v) / 3;
  for (double v : base) ss += (std::log(v) - m) * (std::log(v) - m);
  const double s = std::sqrt(ss / 2);
  const double t = (std::log(7) - m) / (s * std::sqrt(1 + 1.0 / 3));
  EXPECT_NEAR(c.p, 1 - std::fabs(t) / std::sqrt(2 + t * t), 1e-9);
  EXPECT_NEAR(c.noise, s, 1e-12);
  EXPECT_NEAR(c.change, 7 / std::exp(m) - 1, 1e-12);
  EXPECT_EQ(c.baselineRuns, 3);
  EXPECT_EQ(c.currentRuns, 1);
}

TEST(CompareHistory, DecidesAgainstTheSpreadOfRunsNotOfIterations) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> drift(0, 0.03);
  std::vector<double> base;
  for (int i = 0; i < 12; ++i) base.push_back(10 * drift(rng));
  EXPECT_EQ(compareHistory(runs(base), {run(7)}, kDefaults).items[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(compareHistory(runs(base), {run(13)}, kDefaults).items[0].verdict, Verdict::kImproved);
  EXPECT_EQ(compareHistory(runs(base), {run(10.2)}, kDefaults).items[0].verdict,
            Verdict::kUnchanged);
  // Three candidate runs, each a little slower: together they decide what one could not.
  const CompareResult one = compareHistory(runs(base), {run(9.4)}, kDefaults);
  const CompareResult three = compareHistory(runs(base), runs({9.35, 9.45, 9.4}), kDefaults);
  EXPECT_NE(one.items[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(three.items[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(three.items[0].currentRuns, 3);
}

TEST(CompareHistory, SaysHowManyBaselineRunsWouldDecide) {
  // Two baseline runs 4% apart and a candidate 10% below: with 1 degree of freedom nothing is
  // significant, but with the same spread more runs would be.
  CompareResult r = compareHistory(runs({10, 10.4}), {run(9.2)}, kDefaults);
  ASSERT_EQ(r.items[0].verdict, Verdict::kInconclusive);
  EXPECT_GT(r.items[0].runsNeeded, 2);
  EXPECT_LT(r.items[0].runsNeeded, 20);
  EXPECT_NE(compareText(r).find("baseline runs (between-run noise"), std::string::npos);
  // A drop inside the between-run noise is no change, whatever the number of runs.
  r = compareHistory(runs({10, 14, 7, 12}), {run(9)}, kDefaults);
  EXPECT_EQ(r.items[0].verdict, Verdict::kUnchanged);
  EXPECT_EQ(r.items[0].runsNeeded, 0);
}

TEST(CompareHistory, NeverTakesTheSpreadBelowTheCandidatesOwnSamples) {
  // Identical baseline runs (zero spread): without samples any drop beyond the tolerance is
  // certain; with noisy samples of its own the candidate's median is not known that well.
  EXPECT_EQ(compareHistory(runs({10, 10, 10}), {run(9.3)}, kDefaults).items[0].verdict,
            Verdict::kRegressed);
  std::vector<double> samples;
  for (int i = 0; i < 20; ++i) samples.push_back(9.3 * (i % 2 ? 1.4 : 0.7));
  const CompareResult r = compareHistory(runs({10, 10, 10}), {run(9.3, samples)}, kDefaults);
  EXPECT_NE(r.items[0].verdict, Verdict::kRegressed);
  EXPECT_GT(r.items[0].noise, 0.05);
}

TEST(CompareHistory, OneBaselineRunSaysBetweenRunNoiseIsUnknown) {
  const CompareResult r = compareHistory({run(10, {10, 10.1, 9.9, 10, 10.2})},
                                         {run(9, {9, 9.1, 8.9, 9, 9.2})}, kDefaults);
  EXPECT_EQ(r.mode, CompareMode::kTwoRuns);
  EXPECT_EQ(r.items[0].method, Method::kUTest);
  EXPECT_NE(r.note.find("between-run noise is unknown"), std::string::npos);
  EXPECT_NE(compareText(r).find("# note: one baseline run"), std::string::npos);
  EXPECT_NE(compareMarkdown(r).find("between-run noise is unknown"), std::string::npos);
}

TEST(CompareHistory, AMetricOfOneBaselineRunIsJudgedAsTwoRunsAre) {
  std::vector<MetricSet> base = runs({10, 10.1, 9.9});
  base.back().metrics.push_back(metric("late", 5));
  MetricSet candidate = run(10);
  candidate.metrics.push_back(metric("late", 3));
  candidate.metrics.push_back(metric("fresh", 1));
  const CompareResult r = compareHistory(base, {candidate}, kDefaults);
  ASSERT_EQ(r.items.size(), 3u) << compareText(r);
  EXPECT_EQ(r.items[0].key, "late");  // regressions first
  EXPECT_EQ(r.items[0].method, Method::kSummary);
  EXPECT_EQ(r.items[0].verdict, Verdict::kRegressed);
  EXPECT_EQ(r.count(Verdict::kNew), 1);
  // In three baseline runs but not in the candidate: missing.
  MetricSet other;
  other.metrics.push_back(metric("other", 1));
  const CompareResult gone = compareHistory(runs({10, 10, 10}), {other}, kDefaults);
  EXPECT_EQ(gone.count(Verdict::kMissing), 1);
  EXPECT_EQ(gone.count(Verdict::kNew), 1);
}

TEST(ComparePaired, DriftThatMovesBothRunsOfAPairCancels) {
  // The machine slows by up to 3x over the job; B is 8% slower than A in every pair.
  std::vector<MetricSet> a, b;
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> noise(0, 0.01);
  for (int i = 0; i < 8; ++i) {
    const double machine = 10 / (1 + 0.3 * i);
    a.push_back(run(machine * noise(rng)));
    b.push_back(run(machine * 0.92 * noise(rng)));
  }
  CompareResult r = comparePaired(a, b, kDefaults);
  EXPECT_EQ(r.mode, CompareMode::kPaired);
  EXPECT_EQ(r.items[0].verdict, Verdict::kRegressed);
  EXPECT_NEAR(r.items[0].change, -0.08, 0.02);
  EXPECT_EQ(r.items[0].currentRuns, 8);
  // The same runs unpaired (B as a history candidate against A's runs) see only the drift.
  EXPECT_NE(compareHistory(a, {b.back()}, kDefaults).items[0].verdict, Verdict::kRegressed);
  // A against itself with fresh noise: unchanged.
  std::vector<MetricSet> again;
  for (const MetricSet& x : a) again.push_back(run(x.metrics[0].value * noise(rng)));
  EXPECT_EQ(comparePaired(a, again, kDefaults).items[0].verdict, Verdict::kUnchanged);
}

TEST(ComparePaired, IsThePairedTTest) {
  // Two pairs: 1 degree of freedom, Student's t is Cauchy: two-sided p = 1 - 2 atan|t| / pi.
  const std::vector<MetricSet> a = runs({10, 12}), b = runs({9, 10});
  const CompareResult r = comparePaired(a, b, kDefaults);
  const double d1 = std::log(0.9), d2 = std::log(10.0 / 12), mean = (d1 + d2) / 2;
  const double sd = std::fabs(d1 - d2) / std::sqrt(2.0);
  const double t = mean / (sd / std::sqrt(2.0));
  EXPECT_NEAR(r.items[0].p, 1 - 2 * std::atan(std::fabs(t)) / M_PI, 1e-9);
  EXPECT_NEAR(r.items[0].change, std::expm1(mean), 1e-12);
  // One pair: no spread to test against; a change beyond the tolerance is inconclusive.
  const CompareResult one = comparePaired(runs({10}), runs({8}), kDefaults);
  EXPECT_EQ(one.items[0].verdict, Verdict::kInconclusive);
  EXPECT_EQ(one.items[0].runsNeeded, 2);
  EXPECT_NE(compareJunit(one).find("<skipped message=\"inconclusive"), std::string::npos);
}

TEST(RunLevelCompare, TheDocumentNamesTheModeAndTheRuns) {
  const CompareResult r = compareHistory(runs({10, 11, 9}), {run(5)}, kDefaults);
  const auto doc = compareDocument(r, {"topoplan", "compare"});
  EXPECT_EQ(doc["mode"], "history");
  EXPECT_EQ(doc["items"][0]["method"], "t-test-of-runs");
  EXPECT_EQ(doc["items"][0]["baseline_runs"], 3);
  EXPECT_EQ(doc["tested"], 1);
}

}  // namespace
}  // namespace topoplan
