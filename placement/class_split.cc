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
  deviations.reserve(to - from);
  for (std::size_t i = from; i < to; ++i) deviations.push_back(std::fabs(sorted[i] - median));
  const auto mid = deviations.begin() + static_cast<std::ptrdiff_t>(deviations.size() / 2);
  std::nth_element(deviations.begin(), mid, deviations.end());
  double mad = *mid;
  if (deviations.size() % 2 == 0) mad = (mad + *std::max_element(deviations.begin(), mid)) / 2;
  return kMadToSigma * mad;
}

struct Chunk {
  std::size_t from, to;
};

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

bool separated(const Separation& s, const SplitRule& rule) {
  return s.effect >= rule.minSeparation && s.z >= rule.minZ;
}

// Where the between-group variance of [from, to) is largest, each side at least `smallest`.
std::size_t otsuCut(const std::vector<double>& prefix, std::size_t from, std::size_t to,
                    std::size_t smallest) {
  double best = -1;
  std::size_t at = from + smallest;
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
  return at;
}

struct CutRule {
  std::size_t coarse;  // chunks of 2 x coarse values or more are always cut, sides >= coarse
  std::size_t fine;    // smaller ones only where the cut separates, sides >= fine
  double floor;        // the noise floor (log units)
  SplitRule split;
};

// Cuts [from, to) recursively: coarsely everywhere, then finely where a class stands apart
// (so a class of a few pairs among millions is a candidate, and noise is not cut further).
void cut(const std::vector<double>& x, const std::vector<double>& prefix, std::size_t from,
         std::size_t to, const CutRule& rule, std::vector<Chunk>& out) {
  const std::size_t n = to - from;
  if (n < 2 * rule.fine || x[to - 1] - x[from] <= 0) {
    out.push_back({from, to});
    return;
  }
  const bool coarse = n >= 2 * rule.coarse;
  const std::size_t at = otsuCut(prefix, from, to, coarse ? rule.coarse : rule.fine);
  if (!coarse && !separated(separation(x, {from, at}, {at, to}, rule.floor), rule.split)) {
    out.push_back({from, to});
    return;
  }
  cut(x, prefix, from, at, rule, out);
  cut(x, prefix, at, to, rule, out);
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
  cut(x, prefix, 0, x.size(),
      {std::max(2 * minCount, x.size() / 32), 2 * minCount, split.sigma, rule}, chunks);

  // Merge the least separated neighbours until every pair is separated. gap[i] is the effect
  // size between chunks i and i + 1, or +inf where they are separated.
  const double kSeparated = 1e300;
  auto gapAfter = [&](std::size_t i) {
    const Separation s = separation(x, chunks[i], chunks[i + 1], split.sigma);
    const bool small = chunks[i].to - chunks[i].from < minCount ||
                       chunks[i + 1].to - chunks[i + 1].from < minCount;
    return !small && separated(s, rule) ? kSeparated : s.effect;
  };
  std::vector<double> gap;
  for (std::size_t i = 0; i + 1 < chunks.size(); ++i) gap.push_back(gapAfter(i));
  while (!gap.empty()) {
    const auto weakest = std::min_element(gap.begin(), gap.end());
    if (*weakest >= kSeparated) break;
    const std::size_t i = static_cast<std::size_t>(weakest - gap.begin());
    chunks[i].to = chunks[i + 1].to;
    chunks.erase(chunks.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    gap.erase(gap.begin() + static_cast<std::ptrdiff_t>(i));
    if (i < gap.size()) gap[i] = gapAfter(i);
    if (i > 0) gap[i - 1] = gapAfter(i - 1);
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
