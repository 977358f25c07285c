#include "report/gate/change_points.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "core/stats.h"
#include "report/gate/compare.h"

namespace topoplan {
namespace {

// The variance a split explains, at its best, and where, over splits with at least
// `minSegment` values each side.
std::pair<double, int> statistic(const std::vector<double>& x, int minSegment) {
  const int n = static_cast<int>(x.size());
  double total = 0;
  for (double v : x) total += v;
  double before = 0, best = -1;
  int at = 0;
  for (int left = 1; left < n; ++left) {
    before += x[static_cast<std::size_t>(left - 1)];
    if (left < minSegment || n - left < minSegment) continue;
    const double gap = before / left - (total - before) / (n - left);
    const double explained = static_cast<double>(left) * (n - left) / n * gap * gap;
    if (explained > best * (1 + 1e-12)) best = explained, at = left;
  }
  return {best, at};
}

double median(std::vector<double> v) {
  return summarize(std::move(v)).median;
}

struct Series {
  std::string key, unit;
  std::vector<double> values, logs;
  std::vector<int> runs;  // the run of each value
};

// Reports the split `test` found in [lo, hi) of `s` if it holds, then searches each side.
void segment(const Series& s, int lo, int hi, const ShiftTest& test,
             const std::vector<MetricSet>& runs, const ChangePointSettings& settings,
             std::uint64_t seed, std::vector<ChangePoint>& out) {
  if (test.index == 0 || !(test.p < settings.alpha)) return;
  const int at = lo + test.index;
  const auto search = [&](int from, int to, std::uint64_t subSeed) {
    const std::vector<double> part(s.logs.begin() + from, s.logs.begin() + to);
    segment(s, from, to, meanShift(part, settings.permutations, subSeed, settings.minSegment), runs,
            settings, subSeed, out);
  };
  search(lo, at, seed + 1);
  ChangePoint c;
  c.key = s.key;
  c.unit = s.unit;
  c.run = s.runs[static_cast<std::size_t>(at)];
  c.source = runs[static_cast<std::size_t>(c.run)].source;
  c.before = median({s.values.begin() + lo, s.values.begin() + at});
  c.after = median({s.values.begin() + at, s.values.begin() + hi});
  c.change = c.before > 0 ? c.after / c.before - 1 : 0;
  c.p = test.p;
  c.runsBefore = at - lo;
  c.runsAfter = hi - at;
  out.push_back(c);
  search(at, hi, seed + 2);
}

}  // namespace

ShiftTest meanShift(const std::vector<double>& series, int permutations, std::uint64_t seed,
                    int minSegment) {
  ShiftTest r;
  if (static_cast<int>(series.size()) < 2 * std::max(minSegment, 1)) return r;
  const auto [k, at] = statistic(series, minSegment);
  r.statistic = k;
  r.index = at;
  std::mt19937_64 rng(seed);
  std::vector<double> shuffled = series;
  int asLarge = 0;
  for (int i = 0; i < permutations; ++i) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    asLarge += statistic(shuffled, minSegment).first >= k * (1 - 1e-12);
  }
  r.p = (1.0 + asLarge) / (1.0 + permutations);
  return r;
}

std::vector<ChangePoint> findChangePoints(const std::vector<MetricSet>& runs,
                                          const ChangePointSettings& settings) {
  std::vector<Series> series;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const Metric& m : runs[r].metrics) {
      if (!std::isfinite(m.value) || m.value <= 0) continue;
      auto [it, inserted] = index.emplace(m.key, series.size());
      if (inserted) series.push_back({m.key, m.unit, {}, {}, {}});
      series[it->second].values.push_back(m.value);
      series[it->second].logs.push_back(std::log(m.value));
      series[it->second].runs.push_back(static_cast<int>(r));
    }
  // The first split of every metric, its p adjusted over the metrics.
  std::vector<ShiftTest> first;
  std::vector<double> p;
  for (const Series& s : series) {
    first.push_back(meanShift(s.logs, settings.permutations, settings.seed, settings.minSegment));
    p.push_back(first.back().p);
  }
  const std::vector<double> adjusted = adjustP(p, settings.correction);
  std::vector<ChangePoint> out;
  for (std::size_t i = 0; i < series.size(); ++i) {
    first[i].p = adjusted[i];
    segment(series[i], 0, static_cast<int>(series[i].values.size()), first[i], runs, settings,
            settings.seed, out);
  }
  return out;
}

}  // namespace topoplan
