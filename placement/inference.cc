#include "placement/inference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "core/stats.h"

namespace topoplan {
namespace {

std::string gbpsText(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g GB/s", value);
  return buffer;
}

double median(std::vector<double> values) {
  return values.empty() ? 0 : summarize(std::move(values)).median;
}

// Connected components of the hosts in `members` over pairs with bandwidth >= threshold.
std::vector<int> components(const std::vector<std::vector<double>>& bw,
                            const std::vector<int>& members, double threshold) {
  const std::size_t n = bw.size();
  std::vector<int> label(n, -1);
  int next = 0;
  for (int start : members) {
    if (label[static_cast<std::size_t>(start)] >= 0) continue;
    std::vector<int> stack = {start};
    label[static_cast<std::size_t>(start)] = next;
    while (!stack.empty()) {
      const int h = stack.back();
      stack.pop_back();
      for (int other : members) {
        if (label[static_cast<std::size_t>(other)] < 0 &&
            bw[static_cast<std::size_t>(h)][static_cast<std::size_t>(other)] >= threshold) {
          label[static_cast<std::size_t>(other)] = next;
          stack.push_back(other);
        }
      }
    }
    ++next;
  }
  return label;
}

}  // namespace

PairMeasurement withSweepFit(PairMeasurement pair) {
  if (pair.sweep.empty()) return pair;
  auto fit = fitAlphaBeta(pair.sweep, pair.a + " <-> " + pair.b);
  if (fit) pair.latencyUs = fit->alphaUs;  // else too few sizes, or noise hid the slope
  return pair;
}

Result<InferredCluster> inferCluster(const std::vector<std::string>& hosts,
                                     const std::vector<PairMeasurement>& pairs,
                                     const InferenceOptions& options, const std::string& source) {
  const std::size_t n = hosts.size();
  if (n < 2)
    return Error(source + ": " + std::to_string(n) + " hosts measured, expected at least 2");
  std::map<std::string, int> index;
  for (std::size_t i = 0; i < n; ++i) index[hosts[i]] = static_cast<int>(i);
  std::vector<std::vector<double>> bw(n, std::vector<double>(n, 0.0));
  std::vector<std::vector<double>> latency(n, std::vector<double>(n, 0.0));
  for (const PairMeasurement& pair : pairs) {
    auto a = index.find(pair.a), b = index.find(pair.b);
    if (a == index.end() || b == index.end()) {
      return Error(source + ": link " + pair.a + " <-> " + pair.b + " names a host not in hosts[]");
    }
    if (!(pair.gbps > 0) || !std::isfinite(pair.gbps)) {
      return Error(source + ": link " + pair.a + " <-> " + pair.b + ": bandwidth " +
                   std::to_string(pair.gbps) + ", expected a positive number");
    }
    if (a->second == b->second) continue;
    double& cell = bw[static_cast<std::size_t>(a->second)][static_cast<std::size_t>(b->second)];
    cell = std::max(cell, pair.gbps);  // the best of repeated (e.g. serial re-) measurements
    bw[static_cast<std::size_t>(b->second)][static_cast<std::size_t>(a->second)] = cell;
    for (auto [x, y] : {std::pair{a->second, b->second}, std::pair{b->second, a->second}}) {
      double& lat = latency[static_cast<std::size_t>(x)][static_cast<std::size_t>(y)];
      if (pair.latencyUs > 0 && (lat == 0 || pair.latencyUs < lat)) lat = pair.latencyUs;
    }
  }

  // 1. Degraded hosts.
  std::vector<double> best(n, 0.0);
  for (std::size_t h = 0; h < n; ++h) {
    best[h] = *std::max_element(bw[h].begin(), bw[h].end());
    if (best[h] <= 0) return Error(source + ": host " + hosts[h] + " has no measured link");
  }
  const double typicalBest = median(best);
  InferredCluster result{Topology{}, {}, {}, {}, {}};
  std::vector<char> degraded(n, 0);
  for (std::size_t h = 0; h < n; ++h) {
    if (best[h] < options.degradedRatio * typicalBest) {
      degraded[h] = 1;
      char share[32];
      std::snprintf(share, sizeof share, "%.1f%%", best[h] / typicalBest * 100);
      result.degradedHosts.push_back({hosts[h], "its best link measures " + gbpsText(best[h]) +
                                                    ", " + share + " of the median host's best (" +
                                                    gbpsText(typicalBest) + ")"});
    }
  }
  std::vector<int> healthy;
  for (std::size_t h = 0; h < n; ++h) {
    if (!degraded[h]) healthy.push_back(static_cast<int>(h));
  }

  // 2. Islands from the gaps between bandwidth classes.
  std::vector<double> values;
  for (std::size_t i = 0; i < healthy.size(); ++i) {
    for (std::size_t j = i + 1; j < healthy.size(); ++j) {
      const double v =
          bw[static_cast<std::size_t>(healthy[i])][static_cast<std::size_t>(healthy[j])];
      if (v > 0) values.push_back(v);
    }
  }
  std::sort(values.begin(), values.end());
  std::vector<double> thresholds;  // ascending: coarsest level first
  for (std::size_t i = 0; i + 1 < values.size(); ++i) {
    if (values[i + 1] > options.gapRatio * values[i])
      thresholds.push_back(std::sqrt(values[i] * values[i + 1]));
  }
  std::vector<std::vector<int>> levels;  // per level: island label per host
  for (double threshold : thresholds) {
    std::vector<int> label = components(bw, healthy, threshold);
    const int islands = 1 + *std::max_element(label.begin(), label.end());
    if (islands <= 1) continue;
    if (!levels.empty() && levels.back() == label) continue;
    if (islands == static_cast<int>(healthy.size())) break;  // every host alone: no structure below
    levels.push_back(label);
    result.thresholdsGbps.push_back(threshold);
  }

  // 3. Degraded hosts join the islands of the host they reach fastest: a degraded link caps
  // every pair alike, so among the pairs within 20% of its best, the lowest latency decides.
  for (std::size_t h = 0; h < n; ++h) {
    if (!degraded[h] || healthy.empty()) continue;
    int nearest = -1;
    for (int other : healthy) {
      const auto o = static_cast<std::size_t>(other);
      if (bw[h][o] < 0.8 * best[h]) continue;
      if (nearest < 0 || latency[h][o] < latency[h][static_cast<std::size_t>(nearest)])
        nearest = other;
    }
    if (nearest < 0) nearest = healthy.front();
    for (auto& label : levels) label[h] = label[static_cast<std::size_t>(nearest)];
  }

  std::vector<std::string> levelNames;
  for (std::size_t l = 0; l < levels.size(); ++l)
    levelNames.push_back("island-" + std::to_string(l + 1));
  std::vector<HostPath> rows;
  for (std::size_t h = 0; h < n; ++h) {
    HostPath row{hosts[h], {}, options.gpusPerHost, 0};
    for (const auto& label : levels) row.labels.push_back("i" + std::to_string(label[h] + 1));
    rows.push_back(std::move(row));
  }
  auto topology = Topology::fromPaths(levelNames, rows, source);
  if (!topology) return topology.error();
  result.topology = std::move(*topology);

  // 4. Degraded links: far below the median of their class.
  std::map<int, std::vector<double>> byClass;
  for (std::size_t i = 0; i < healthy.size(); ++i) {
    for (std::size_t j = i + 1; j < healthy.size(); ++j) {
      const int a = healthy[i], b = healthy[j];
      const double v = bw[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      if (v > 0) byClass[result.topology.sharedLevels(a, b)].push_back(v);
    }
  }
  std::map<int, double> classMedian;
  for (auto& [shared, list] : byClass) classMedian[shared] = median(list);
  for (std::size_t i = 0; i < healthy.size(); ++i) {
    for (std::size_t j = i + 1; j < healthy.size(); ++j) {
      const int a = healthy[i], b = healthy[j];
      const double v = bw[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
      const int shared = result.topology.sharedLevels(a, b);
      if (v > 0 && v < options.degradedRatio * classMedian[shared]) {
        result.degradedLinks.push_back(
            {hosts[static_cast<std::size_t>(a)] + " <-> " + hosts[static_cast<std::size_t>(b)],
             "measures " + gbpsText(v) + " against " + gbpsText(classMedian[shared]) +
                 " for pairs sharing " + std::to_string(shared) + " level(s)"});
        result.degradedLinkHosts.emplace_back(hosts[static_cast<std::size_t>(a)],
                                              hosts[static_cast<std::size_t>(b)]);
      }
    }
  }
  return result;
}

void applyMeasuredFigures(const Topology& topology, const std::vector<PairMeasurement>& pairs,
                          CostModel& cost) {
  const int levels = topology.levelCount();
  std::vector<std::vector<double>> hostPairs(topology.hosts().size());
  std::vector<std::vector<double>> leaving(topology.domains().size());
  std::map<int, std::vector<double>> latencyByShared;
  for (const PairMeasurement& pair : pairs) {
    const int a = topology.hostIndex(pair.a), b = topology.hostIndex(pair.b);
    if (a < 0 || b < 0 || a == b) continue;
    const int shared = topology.sharedLevels(a, b);
    if (pair.latencyUs > 0) latencyByShared[shared].push_back(pair.latencyUs);
    if (shared == levels) {
      hostPairs[static_cast<std::size_t>(a)].push_back(pair.gbps);
      hostPairs[static_cast<std::size_t>(b)].push_back(pair.gbps);
      continue;
    }
    // The pair leaves the domains of a and b at level `shared`.
    for (int host : {a, b}) {
      leaving[static_cast<std::size_t>(topology.hosts()[static_cast<std::size_t>(host)]
                                           .domains[static_cast<std::size_t>(shared)])]
          .push_back(pair.gbps);
    }
  }
  for (std::size_t h = 0; h < hostPairs.size(); ++h) {
    if (!hostPairs[h].empty())
      cost.setHostGbps(static_cast<int>(h), median(hostPairs[h]), "measured");
  }
  for (std::size_t d = 0; d < leaving.size(); ++d) {
    if (!leaving[d].empty())
      cost.setUplinkGbps(static_cast<int>(d), median(leaving[d]), "measured");
  }
  if (!latencyByShared.empty()) {
    const double finest = median(latencyByShared.rbegin()->second);
    const double coarsest = median(latencyByShared.begin()->second);
    const int span = latencyByShared.rbegin()->first - latencyByShared.begin()->first;
    const double hop = span > 0 ? std::max(0.0, (coarsest - finest) / (2.0 * span)) : 0.0;
    cost.setLatency(finest - 2.0 * hop * (levels - latencyByShared.rbegin()->first), hop,
                    "measured");
  }
}

}  // namespace topoplan
