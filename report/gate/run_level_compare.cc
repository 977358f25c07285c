#include "report/gate/run_level_compare.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "core/stats.h"

namespace topoplan {
namespace {

constexpr int kMostRuns = 1000;  // beyond this, "more runs" is no answer

const double kNan = std::numeric_limits<double>::quiet_NaN();

bool usable(double v) {
  return std::isfinite(v) && v > 0;
}

// Each run's usable metrics by key, built once: a cluster document holds a metric per link, so a
// search of the run for every key would be quadratic in the links.
using RunIndex = std::unordered_map<std::string, const Metric*>;

std::vector<RunIndex> indexRuns(const std::vector<MetricSet>& runs) {
  std::vector<RunIndex> index(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const Metric& m : runs[r].metrics)
      if (usable(m.value)) index[r].emplace(m.key, &m);
  return index;
}

// The metric `key` of an indexed run, or null.
const Metric* find(const RunIndex& run, const std::string& key) {
  const auto it = run.find(key);
  return it == run.end() ? nullptr : it->second;
}

// Every key of `runs`, in the order first seen.
std::vector<std::string> keysOf(const std::vector<const std::vector<MetricSet>*>& groups) {
  std::vector<std::string> keys;
  std::unordered_set<std::string> seen;
  for (const auto* runs : groups)
    for (const MetricSet& run : *runs)
      for (const Metric& m : run.metrics)
        if (seen.insert(m.key).second) keys.push_back(m.key);
  return keys;
}

double mean(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v;
  return x.empty() ? 0 : sum / static_cast<double>(x.size());
}

double squaredDeviations(const std::vector<double>& x) {
  const double m = mean(x);
  double sum = 0;
  for (double v : x) sum += (v - m) * (v - m);
  return sum;
}

// Two-sided p of Student's t with `df` degrees of freedom; a zero spread decides by the shift.
double twoSidedP(double shift, double se, int df) {
  if (!(se > 0)) return shift == 0 ? 1.0 : 0.0;
  const boost::math::students_t dist(df);
  return std::min(1.0, 2 * boost::math::cdf(boost::math::complement(dist, std::fabs(shift / se))));
}

// The fewest runs n (from `from` up) at which |shift| would be significant at `alpha` with spread
// `sd`, standard error sd * scale(n) and df(n) degrees of freedom; 0 when no number would do.
int runsToDecide(double shift, double sd, double alpha, int from,
                 const std::function<double(int)>& scale, const std::function<int(int)>& df) {
  if (!(sd > 0)) return from;
  // Whether n runs would decide it; false up to some n and true from there on (the critical t
  // and the standard error both shrink with n), so a binary search finds the first.
  const auto decides = [&](int n) {
    if (df(n) < 1) return false;
    const boost::math::students_t dist(df(n));
    return std::fabs(shift) >
           boost::math::quantile(boost::math::complement(dist, alpha / 2)) * sd * scale(n);
  };
  int lo = std::max(from, 2), hi = kMostRuns;
  if (lo > hi || !decides(hi)) return 0;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (decides(mid)) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

// The standard error of the median of a run's own samples, in log scale (asymptotic, with the
// log spread estimated robustly as IQR / 1.349); 0 with fewer than 5 samples.
double ownMedianError(const Metric& m) {
  std::vector<double> logs;
  for (double v : m.sampleValues)
    if (usable(v)) logs.push_back(std::log(v));
  if (logs.size() < 5) return 0;
  std::sort(logs.begin(), logs.end());
  const double sigma = (quantileSorted(logs, 0.75) - quantileSorted(logs, 0.25)) / 1.349;
  return std::sqrt(M_PI / 2) * sigma / std::sqrt(static_cast<double>(logs.size()));
}

// How well "the mean of the `window` runs before" predicted the mean of the next `m` runs at every
// earlier point of the history: the root mean square of those errors and how many there were.
struct Backtest {
  double rms = 0;
  int count = 0;
};

Backtest backtest(const std::vector<double>& x, int window, int m) {
  Backtest b;
  double sum = 0;
  for (int j = window; j + m <= static_cast<int>(x.size()); ++j) {
    const auto at = [&](int i) { return x[static_cast<std::size_t>(i)]; };
    double before = 0, after = 0;
    for (int i = j - window; i < j; ++i) before += at(i) / window;
    for (int i = j; i < j + m; ++i) after += at(i) / m;
    sum += (after - before) * (after - before);
    ++b.count;
  }
  if (b.count > 0) b.rms = std::sqrt(sum / b.count);
  return b;
}

// What both run-level methods share once each tested metric has its shift, spread and p: the
// correction over all of them, the verdicts, and the runs an inconclusive change would need.
struct Tested {
  std::size_t item;
  double shift, sd;
  std::function<double(int)> scale;
  std::function<int(int)> df;
  int from;
};

void decide(CompareResult& result, const std::vector<Tested>& tested,
            const CompareSettings& settings) {
  std::vector<double> p;
  for (const Tested& t : tested) p.push_back(result.items[t.item].p);
  const std::vector<double> adjusted = adjustP(p, settings.correction);
  const double alpha =
      settings.alpha / correctionFactor(static_cast<int>(tested.size()), settings.correction);
  for (std::size_t k = 0; k < tested.size(); ++k) {
    Comparison& c = result.items[tested[k].item];
    c.pAdjusted = adjusted[k];
    c.verdict = verdictOf(c.change, settings.tolerance, c.pAdjusted < settings.alpha);
    if (c.verdict != Verdict::kUnchanged || std::fabs(c.change) <= settings.tolerance) continue;
    c.runsNeeded = runsToDecide(tested[k].shift, tested[k].sd, alpha, tested[k].from,
                                tested[k].scale, tested[k].df);
    if (c.runsNeeded > 0) c.verdict = Verdict::kInconclusive;
  }
}

Comparison blank(const std::string& key, const std::string& unit, Method method) {
  Comparison c;
  c.key = key;
  c.unit = unit;
  c.method = method;
  c.baseline = c.current = c.change = c.p = c.pAdjusted = kNan;
  return c;
}

}  // namespace

CompareResult compareHistory(const std::vector<MetricSet>& baselines,
                             const std::vector<MetricSet>& candidates,
                             const CompareSettings& settings) {
  if (baselines.empty() || candidates.empty()) return CompareResult{};
  if (baselines.size() == 1 && candidates.size() == 1) {
    CompareResult r = compareMetrics(baselines[0], candidates[0], settings);
    r.note =
        "one baseline run: between-run noise is unknown, so only the samples within each run are "
        "tested, and drift between the runs can read as a change; give several baseline runs "
        "(a history) or interleave the runs (topoplan ab)";
    return r;
  }
  CompareResult result;
  result.baselineSource = baselines.size() == 1
                              ? baselines[0].source
                              : std::to_string(baselines.size()) + " baseline runs (" +
                                    baselines[0].source + " ... " + baselines.back().source + ")";
  result.currentSource = candidates.size() == 1
                             ? candidates[0].source
                             : std::to_string(candidates.size()) + " candidate runs (" +
                                   candidates[0].source + " ... " + candidates.back().source + ")";
  result.settings = settings;
  result.mode = CompareMode::kHistory;
  std::vector<Tested> tested;
  MetricSet pairBase, pairCurrent;  // metrics in one run on each side: judged as two runs are
  const std::vector<RunIndex> baseIndex = indexRuns(baselines),
                              candidateIndex = indexRuns(candidates);
  for (const std::string& key : keysOf({&baselines, &candidates})) {
    std::vector<double> b, c;
    std::string unit;
    double ownError = 0;
    const Metric *lastBase = nullptr, *lastCurrent = nullptr;
    for (const RunIndex& run : baseIndex)
      if (const Metric* m = find(run, key)) {
        b.push_back(std::log(m->value));
        unit = m->unit;
        lastBase = m;
      }
    for (const RunIndex& run : candidateIndex)
      if (const Metric* m = find(run, key)) {
        c.push_back(std::log(m->value));
        unit = m->unit;
        ownError = std::max(ownError, ownMedianError(*m));
        lastCurrent = m;
      }
    if (b.empty() && c.empty()) continue;
    if (b.size() + c.size() < 3) {
      if (lastBase) pairBase.metrics.push_back(*lastBase);
      if (lastCurrent) pairCurrent.metrics.push_back(*lastCurrent);
      continue;
    }
    Comparison item = blank(key, unit, Method::kHistory);
    item.baselineRuns = static_cast<int>(b.size());
    item.currentRuns = static_cast<int>(c.size());
    if (c.empty() || b.empty()) {
      item.verdict = c.empty() ? Verdict::kMissing : Verdict::kNew;
      item.method = Method::kNone;
      (c.empty() ? item.baseline : item.current) = std::exp(mean(c.empty() ? b : c));
      result.items.push_back(item);
      continue;
    }
    const int k = item.baselineRuns, m = item.currentRuns, w = settings.window;
    // Between-run spread as if runs were independent draws, never below the candidate's own.
    const double sd =
        std::max(std::sqrt((squaredDeviations(b) + squaredDeviations(c)) / (k + m - 2)), ownError);
    const Backtest test = k >= w + m + 2 ? backtest(b, w, m) : Backtest{};
    double reference, se;
    int df;
    std::function<int(int)> dfFor;
    if (test.count >= 3) {  // the latest w runs, with the spread the history itself shows
      reference = mean({b.end() - w, b.end()});
      se = std::max(test.rms, sd * std::sqrt(1.0 / w + 1.0 / m));
      dfFor = [w, m](int n) { return std::max(1, (n - w - m + 1) / m); };
      item.noise = se / std::sqrt(1.0 / w + 1.0 / m);
    } else {  // every baseline run, as independent draws
      reference = mean(b);
      se = sd * std::sqrt(1.0 / k + 1.0 / m);
      dfFor = [m](int n) { return n + m - 2; };
      item.noise = sd;
    }
    df = dfFor(k);
    const double shift = mean(c) - reference;
    item.baseline = std::exp(reference);
    item.current = std::exp(mean(c));
    item.change = std::expm1(shift);
    item.p = twoSidedP(shift, se, df);
    const bool backtested = test.count >= 3;
    tested.push_back(
        {result.items.size(), shift, backtested ? se : sd,
         [m, backtested](int n) { return backtested ? 1.0 : std::sqrt(1.0 / n + 1.0 / m); }, dfFor,
         k + 1});
    result.items.push_back(item);
  }
  decide(result, tested, settings);
  if (!pairBase.metrics.empty() || !pairCurrent.metrics.empty()) {
    const CompareResult pairs = compareMetrics(pairBase, pairCurrent, settings);
    result.items.insert(result.items.end(), pairs.items.begin(), pairs.items.end());
  }
  sortByVerdict(result.items);
  return result;
}

CompareResult comparePaired(const std::vector<MetricSet>& a, const std::vector<MetricSet>& b,
                            const CompareSettings& settings) {
  CompareResult result;
  result.baselineSource = "A: " + std::to_string(a.size()) + " runs";
  result.currentSource = "B: " + std::to_string(b.size()) + " runs";
  result.settings = settings;
  result.mode = CompareMode::kPaired;
  std::vector<Tested> tested;
  const std::size_t pairs = std::min(a.size(), b.size());
  const std::vector<RunIndex> aIndex = indexRuns(a), bIndex = indexRuns(b);
  for (const std::string& key : keysOf({&a, &b})) {
    std::vector<double> d, logA, logB;
    std::string unit;
    for (std::size_t i = 0; i < pairs; ++i) {
      const Metric* x = find(aIndex[i], key);
      const Metric* y = find(bIndex[i], key);
      if (x) unit = x->unit, logA.push_back(std::log(x->value));
      if (y) unit = y->unit, logB.push_back(std::log(y->value));
      if (x && y) d.push_back(std::log(y->value) - std::log(x->value));
    }
    Comparison item = blank(key, unit, Method::kPaired);
    item.baselineRuns = item.currentRuns = static_cast<int>(d.size());
    if (d.empty()) {
      if (logA.empty() && logB.empty()) continue;
      item.verdict = logB.empty() ? Verdict::kMissing : Verdict::kNew;
      item.method = Method::kNone;
      (logB.empty() ? item.baseline : item.current) = std::exp(mean(logB.empty() ? logA : logB));
      result.items.push_back(item);
      continue;
    }
    const int pairsOf = static_cast<int>(d.size());
    const double shift = mean(d);
    item.baseline = std::exp(mean(logA));
    item.current = std::exp(mean(logB));
    item.change = std::expm1(shift);
    if (pairsOf < 2) {  // no spread to test against
      item.noise = kNan;
      item.verdict = std::fabs(item.change) > settings.tolerance ? Verdict::kInconclusive
                                                                 : Verdict::kUnchanged;
      item.runsNeeded = 2;
      result.items.push_back(item);
      continue;
    }
    const double sd = std::sqrt(squaredDeviations(d) / (pairsOf - 1));
    item.noise = sd / std::sqrt(2.0);  // one run's spread, if both sides drift alike and apart
    item.p = twoSidedP(shift, sd / std::sqrt(static_cast<double>(pairsOf)), pairsOf - 1);
    tested.push_back({result.items.size(), shift, sd, [](int n) { return 1 / std::sqrt(1.0 * n); },
                      [](int n) { return n - 1; }, pairsOf + 1});
    result.items.push_back(item);
  }
  decide(result, tested, settings);
  sortByVerdict(result.items);
  return result;
}

}  // namespace topoplan
