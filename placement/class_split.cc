#include "placement/class_split.h"

#include <algorithm>
#include <cmath>

namespace topoplan {
namespace {

constexpr double kMadToSigma = 1.4826;
constexpr double kSpreadToSigma = 2.563;      // p90 - p10 of a normal distribution, in sigmas
constexpr double kMedianEfficiency = 1.2533;  // standard error of a median: 1.2533 sigma / sqrt(n)

double medianOf(const std::vector<double>& sorted, std::size_t from, std::size_t to) {
  const std::size_t n = to - from;
  const std::size_t mid = from + n / 2;
  return n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Robust spread of sorted[from, to): 1.4826 x the median absolute deviation.
double robustSigma(const std::vector<double>& sorted, std::size_t from, std::size_t to) {
  const double median = medianOf(sorted, from, to);
  std::vector<double> deviations;
  for (std::size_t i = from; i < to; ++i) deviations.push_back(std::fabs(sorted[i] - median));
  std::sort(deviations.begin(), deviations.end());
  return kMadToSigma * medianOf(deviations, 0, deviations.size());
}

struct Chunk {
  std::size_t from, to;
};

// Cuts [from, to) where the between-group variance is largest, recursively, into chunks of at
// least `smallest` values.
void cut(const std::vector<double>& x, const std::vector<double>& prefix, std::size_t from,
         std::size_t to, std::size_t smallest, std::vector<Chunk>& out) {
  const std::size_t n = to - from;
  if (n < 2 * smallest || x[to - 1] - x[from] <= 0) {
    out.push_back({from, to});
    return;
  }
  double best = -1;
  std::size_t at = from;
  const double total = prefix[to] - prefix[from];
  for (std::size_t k = from + smallest; k + smallest <= to; ++k) {
    const double nl = static_cast<double>(k - from), nu = static_cast<double>(to - k);
    const double meanL = (prefix[k] - prefix[from]) / nl;
    const double meanU = (total - (prefix[k] - prefix[from])) / nu;
    const double between = nl * nu * (meanU - meanL) * (meanU - meanL);
    if (between > best) {
      best = between;
      at = k;
    }
  }
  cut(x, prefix, from, at, smallest, out);
  cut(x, prefix, at, to, smallest, out);
}

struct Separation {
  double effect = 0, z = 0;
};

Separation separation(const std::vector<double>& x, const Chunk& a, const Chunk& b, double floor) {
  const double na = static_cast<double>(a.to - a.from), nb = static_cast<double>(b.to - b.from);
  const double sa = robustSigma(x, a.from, a.to), sb = robustSigma(x, b.from, b.to);
  const double pooled = std::sqrt((na * sa * sa + nb * sb * sb) / (na + nb));
  const double sigma = std::max({pooled, floor, 1e-9});
  const double difference = medianOf(x, b.from, b.to) - medianOf(x, a.from, a.to);
  const double se = kMedianEfficiency * sigma * std::sqrt(1 / na + 1 / nb);
  return {difference / sigma, difference / se};
}

}  // namespace

ClassSplit splitClasses(const std::vector<MeasuredValue>& values, const SplitRule& rule) {
  ClassSplit split;
  std::vector<double> x;
  std::vector<double> noise;
  for (const MeasuredValue& v : values) {
    if (!(v.value > 0) || !std::isfinite(v.value)) continue;
    x.push_back(std::log(v.value));
    if (v.p10 > 0 && v.p90 >= v.p10) {
      const double spread = (std::log(v.p90) - std::log(v.p10)) / kSpreadToSigma;
      noise.push_back(spread * kMedianEfficiency / std::sqrt(std::max<double>(1, v.samples)));
    }
  }
  if (x.empty()) return split;
  std::sort(x.begin(), x.end());
  if (!noise.empty()) {
    std::sort(noise.begin(), noise.end());
    split.sigma = medianOf(noise, 0, noise.size());
  }
  std::vector<double> prefix(x.size() + 1, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) prefix[i + 1] = prefix[i] + x[i];
  const std::size_t minCount = static_cast<std::size_t>(std::max(1, rule.minCount));
  std::vector<Chunk> chunks;
  cut(x, prefix, 0, x.size(), std::max(2 * minCount, x.size() / 32), chunks);

  // Merge the least separated neighbours until every pair is separated.
  while (chunks.size() > 1) {
    std::size_t weakest = chunks.size();
    double weakestEffect = 1e300;
    for (std::size_t i = 0; i + 1 < chunks.size(); ++i) {
      const Separation s = separation(x, chunks[i], chunks[i + 1], split.sigma);
      const bool small = chunks[i].to - chunks[i].from < minCount ||
                         chunks[i + 1].to - chunks[i + 1].from < minCount;
      const bool separated = !small && s.effect >= rule.minSeparation && s.z >= rule.minZ;
      if (!separated && s.effect < weakestEffect) {
        weakestEffect = s.effect;
        weakest = i;
      }
    }
    if (weakest == chunks.size()) break;
    chunks[weakest].to = chunks[weakest + 1].to;
    chunks.erase(chunks.begin() + static_cast<long>(weakest) + 1);
  }
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Chunk& c = chunks[i];
    const std::size_t n = c.to - c.from;
    ValueClass cls;
    cls.count = n;
    cls.median = std::exp(medianOf(x, c.from, c.to));
    cls.p10 = std::exp(x[c.from + static_cast<std::size_t>(0.1 * static_cast<double>(n - 1))]);
    cls.p90 = std::exp(x[c.from + static_cast<std::size_t>(0.9 * static_cast<double>(n - 1))]);
    cls.low = std::exp(x[c.from]);
    cls.high = std::exp(x[c.to - 1]);
    split.classes.push_back(cls);
    if (i > 0) {
      split.thresholds.push_back(std::exp((x[c.from - 1] + x[c.from]) / 2));
      split.separations.push_back(separation(x, chunks[i - 1], c, split.sigma).effect);
    }
  }
  return split;
}

}  // namespace topoplan
