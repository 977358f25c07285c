// The run-level gate over generated histories and pairs: any values (zeros, huge, equal,
// missing metrics), any settings; nothing throws or reads out of bounds (the sanitizer stage runs
// these too), every verdict agrees with its own figures, and no verdict depends on the unit.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>

#include "report/gate/change_points.h"
#include "report/gate/run_level_compare.h"

namespace topoplan {
namespace {

rc::Gen<MetricSet> genRun(int metrics) {
  return rc::gen::exec([metrics] {
    MetricSet run;
    run.source = "run";
    for (int k = 0; k < metrics; ++k) {
      if (*rc::gen::inRange(0, 10) == 0) continue;  // this run lacks the metric
      Metric m;
      m.key = "m" + std::to_string(k);
      m.unit = "busbw_gbps";
      m.value = *rc::gen::oneOf(
          rc::gen::just(0.0), rc::gen::just(1.0),
          rc::gen::map(rc::gen::inRange(1, 1000000), [](int v) { return v / 1000.0; }));
      const int n = *rc::gen::inRange(0, 8);
      for (int i = 0; i < n; ++i) m.sampleValues.push_back(m.value * (0.8 + 0.05 * i));
      m.samples = n;
      run.metrics.push_back(m);
    }
    return run;
  });
}

CompareSettings genSettings() {
  return {*rc::gen::element(0.0, 0.05, 0.2), *rc::gen::element(0.001, 0.05, 0.2),
          *rc::gen::inRange(2, 8), *rc::gen::element<std::string>("holm", "bh", "none")};
}

void checkVerdicts(const CompareResult& r) {
  for (const Comparison& c : r.items) {
    if (c.verdict == Verdict::kRegressed) {
      RC_ASSERT(-c.change > r.settings.tolerance);
      if (c.method != Method::kSummary) RC_ASSERT(c.pAdjusted < r.settings.alpha);
    }
    if (c.verdict == Verdict::kImproved) RC_ASSERT(c.change > r.settings.tolerance);
    if (c.verdict == Verdict::kInconclusive) RC_ASSERT(std::fabs(c.change) > r.settings.tolerance);
    if (c.method == Method::kHistory || c.method == Method::kPaired)
      RC_ASSERT(std::isnan(c.p) || (c.p >= 0 && c.p <= 1 && c.pAdjusted >= c.p));
  }
}

std::vector<MetricSet> scaled(std::vector<MetricSet> runs, double factor) {
  for (MetricSet& run : runs)
    for (Metric& m : run.metrics) {
      m.value *= factor;
      for (double& v : m.sampleValues) v *= factor;
    }
  return runs;
}

std::vector<Verdict> verdicts(const CompareResult& r) {
  std::vector<Verdict> out;
  for (const Comparison& c : r.items) out.push_back(c.verdict);
  return out;
}

RC_GTEST_PROP(GateProperty, HistoryVerdictsAgreeWithTheirFiguresInAnyUnit, ()) {
  const int metrics = *rc::gen::inRange(1, 5);
  const auto baselines = *rc::gen::container<std::vector<MetricSet>>(
      static_cast<std::size_t>(*rc::gen::inRange(1, 8)), genRun(metrics));
  const auto candidates = *rc::gen::container<std::vector<MetricSet>>(
      static_cast<std::size_t>(*rc::gen::inRange(1, 3)), genRun(metrics));
  const CompareSettings settings = genSettings();
  const CompareResult r = compareHistory(baselines, candidates, settings);
  checkVerdicts(r);
  // GB/s or MB/s: the same verdicts.
  RC_ASSERT(verdicts(compareHistory(scaled(baselines, 1000), scaled(candidates, 1000), settings)) ==
            verdicts(r));
}

RC_GTEST_PROP(GateProperty, PairedVerdictsAgreeWithTheirFigures, ()) {
  const int metrics = *rc::gen::inRange(1, 5);
  const std::size_t pairs = static_cast<std::size_t>(*rc::gen::inRange(1, 10));
  const auto a = *rc::gen::container<std::vector<MetricSet>>(pairs, genRun(metrics));
  const auto b = *rc::gen::container<std::vector<MetricSet>>(pairs, genRun(metrics));
  const CompareResult r = comparePaired(a, b, genSettings());
  checkVerdicts(r);
  // B against itself: never a regression or an improvement.
  for (const Comparison& c : comparePaired(b, b, genSettings()).items)
    RC_ASSERT(c.verdict != Verdict::kRegressed && c.verdict != Verdict::kImproved);
}

RC_GTEST_PROP(GateProperty, ChangePointsLieInsideTheHistory, ()) {
  const auto runs = *rc::gen::container<std::vector<MetricSet>>(
      static_cast<std::size_t>(*rc::gen::inRange(0, 30)), genRun(2));
  ChangePointSettings settings;
  settings.permutations = 99;
  for (const ChangePoint& c : findChangePoints(runs, settings)) {
    RC_ASSERT(c.run > 0 && c.run < static_cast<int>(runs.size()));
    RC_ASSERT(c.runsBefore >= settings.minSegment && c.runsAfter >= settings.minSegment);
    RC_ASSERT(c.p > 0 && c.p < settings.alpha);
  }
}

}  // namespace
}  // namespace topoplan
