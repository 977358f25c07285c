#include "report/gate/significance.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace topoplan {
namespace {

// Number of ways m of the n = m + k values can take ranks summing to u + m(m+1)/2, i.e. the
// arrangements with statistic U = u (the recurrence in the header), for every u.
std::vector<double> exactCounts(int m, int k) {
  // counts[m'][k'][u] built up; only the last table is kept.
  std::vector<std::vector<std::vector<double>>> f(
      static_cast<std::size_t>(m) + 1,
      std::vector<std::vector<double>>(static_cast<std::size_t>(k) + 1));
  for (int a = 0; a <= m; ++a) {
    for (int b = 0; b <= k; ++b) {
      auto& table = f[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      table.assign(static_cast<std::size_t>(a * b) + 1, 0.0);
      if (a == 0 || b == 0) {
        table[0] = 1;
        continue;
      }
      for (int u = 0; u <= a * b; ++u) {
        const auto& left = f[static_cast<std::size_t>(a) - 1][static_cast<std::size_t>(b)];
        const auto& down = f[static_cast<std::size_t>(a)][static_cast<std::size_t>(b) - 1];
        double count = 0;
        if (u - b >= 0 && static_cast<std::size_t>(u - b) < left.size())
          count += left[static_cast<std::size_t>(u - b)];
        if (static_cast<std::size_t>(u) < down.size()) count += down[static_cast<std::size_t>(u)];
        table[static_cast<std::size_t>(u)] = count;
      }
    }
  }
  return f[static_cast<std::size_t>(m)][static_cast<std::size_t>(k)];
}

}  // namespace

UTest mannWhitney(const std::vector<double>& x, const std::vector<double>& y) {
  UTest test;
  const std::size_t n1 = x.size(), n2 = y.size(), n = n1 + n2;
  if (n1 == 0 || n2 == 0) return test;
  std::vector<std::pair<double, int>> pooled;  // (value, sample)
  for (double v : x) pooled.emplace_back(v, 0);
  for (double v : y) pooled.emplace_back(v, 1);
  std::sort(pooled.begin(), pooled.end());
  double r1 = 0, ties = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && pooled[j].first == pooled[i].first) ++j;
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;  // mid-rank
    const double t = static_cast<double>(j - i);
    ties += t * t * t - t;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second == 0) r1 += rank;
    }
    i = j;
  }
  const double a = static_cast<double>(n1), b = static_cast<double>(n2);
  test.u1 = r1 - a * (a + 1) / 2;
  const double u = std::max(test.u1, a * b - test.u1);
  if (ties == 0 && !(n1 > 8 && n2 > 8)) {
    const std::vector<double> counts = exactCounts(static_cast<int>(n1), static_cast<int>(n2));
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    double tail = 0;  // P(U >= u)
    for (std::size_t k = static_cast<std::size_t>(std::ceil(u)); k < counts.size(); ++k)
      tail += counts[k];
    test.p = std::min(1.0, 2 * tail / total);
    test.exact = true;
    return test;
  }
  const double nn = static_cast<double>(n);
  const double sigma = std::sqrt(a * b / 12 * ((nn + 1) - ties / (nn * (nn - 1))));
  if (!(sigma > 0)) return test;
  const double z = (u - a * b / 2 - 0.5) / sigma;
  const boost::math::normal_distribution<double> normal(0, 1);
  test.p = std::clamp(2 * boost::math::cdf(boost::math::complement(normal, z)), 0.0, 1.0);
  return test;
}

namespace {

// The indices of `p`, smallest p first (ties in their given order).
std::vector<std::size_t> ascendingOrder(const std::vector<double>& p) {
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) { return p[x] < p[y]; });
  return order;
}

}  // namespace

std::vector<double> holm(const std::vector<double>& p) {
  const std::size_t m = p.size();
  const std::vector<std::size_t> order = ascendingOrder(p);
  std::vector<double> adjusted(m);
  double running = 0;
  for (std::size_t k = 0; k < m; ++k) {
    running = std::max(running, std::min(1.0, static_cast<double>(m - k) * p[order[k]]));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<double> benjaminiHochberg(const std::vector<double>& p) {
  const std::size_t m = p.size();
  const std::vector<std::size_t> order = ascendingOrder(p);
  std::vector<double> adjusted(m);
  double running = 1;
  for (std::size_t k = m; k-- > 0;) {
    running = std::min(
        running, std::min(1.0, static_cast<double>(m) * p[order[k]] / static_cast<double>(k + 1)));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

}  // namespace topoplan
