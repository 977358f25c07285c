#include "core/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/check.h"

namespace topoplan {

double quantileSorted(const std::vector<double>& sorted, double q) {
  TOPOPLAN_CHECK(!sorted.empty(), "quantile of an empty sample");
  TOPOPLAN_CHECK(q >= 0.0 && q <= 1.0, "quantile outside [0, 1]");
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(position));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

SampleStats summarize(std::vector<double> values) {
  SampleStats stats;
  if (values.empty()) return stats;
  std::sort(values.begin(), values.end());
  stats.samples = values.size();
  stats.min = values.front();
  stats.max = values.back();
  stats.median = quantileSorted(values, 0.5);
  stats.p10 = quantileSorted(values, 0.1);
  stats.p90 = quantileSorted(values, 0.9);
  stats.mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  if (values.size() > 1 && stats.mean != 0.0) {
    double squares = 0;
    for (double v : values) squares += (v - stats.mean) * (v - stats.mean);
    stats.cv = std::sqrt(squares / static_cast<double>(values.size() - 1)) / stats.mean;
  }
  return stats;
}

}  // namespace topoplan
