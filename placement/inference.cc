#include "placement/inference.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/stats.h"

namespace topoplan {
namespace {

std::string gbpsText(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g GB/s", value);
  return buffer;
}

std::string usText(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g us", value);
  return buffer;
}

double median(std::vector<double> values) {
  return values.empty() ? 0 : summarize(std::move(values)).median;
}

// One pair of hosts: the best of its measurements (repeats, several rank pairs).
struct Edge {
  int a = 0, b = 0;
  MeasuredValue bw;
  MeasuredValue lat;   // value 0: no latency
  int contention = 0;  // of the bandwidth figure
};

// Measured without another pair on its uplinks (or unknown).
bool uncontended(const Edge& e) {
  return e.contention <= 1;
}

using Partition = std::vector<int>;  // a label per host (-1: not in it)

// Union-find over hosts.
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  int find(int x) {
    while (parent_[static_cast<std::size_t>(x)] != x) {
      parent_[static_cast<std::size_t>(x)] =
          parent_[static_cast<std::size_t>(parent_[static_cast<std::size_t>(x)])];
      x = parent_[static_cast<std::size_t>(x)];
    }
    return x;
  }
  void join(int x, int y) { parent_[static_cast<std::size_t>(find(x))] = find(y); }

 private:
  std::vector<int> parent_;
};

// Components of `members` over the edges `keep` admits, labelled 0.. in order of first member.
template <typename Keep>
Partition components(std::size_t n, const std::vector<int>& members, const std::vector<Edge>& edges,
                     const std::vector<char>& healthy, Keep keep) {
  Components uf(n);
  for (const Edge& e : edges) {
    if (healthy[static_cast<std::size_t>(e.a)] && healthy[static_cast<std::size_t>(e.b)] && keep(e))
      uf.join(e.a, e.b);
  }
  Partition label(n, -1);
  std::map<int, int> relabel;
  for (int h : members) {
    const int root = uf.find(h);
    label[static_cast<std::size_t>(h)] =
        relabel.try_emplace(root, static_cast<int>(relabel.size())).first->second;
  }
  return label;
}

int domainCount(const Partition& p) {
  return 1 + *std::max_element(p.begin(), p.end());
}

// Every domain of `fine` lies within one domain of `coarse`.
bool refines(const Partition& fine, const Partition& coarse) {
  std::map<int, int> within;
  for (std::size_t h = 0; h < fine.size(); ++h) {
    if (fine[h] < 0) continue;
    auto [at, added] = within.try_emplace(fine[h], coarse[h]);
    if (!added && at->second != coarse[h]) return false;
  }
  return true;
}

struct Candidate {
  Partition partition;
  LevelEvidence evidence;
};

// Index of `p` among the candidates, or -1.
int find(const std::vector<Candidate>& list, const Partition& p) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].partition == p) return static_cast<int>(i);
  }
  return -1;
}

// Where the classes show no boundary (the pairs between domains spread too widely: shares of an
// uplink, measured by concurrent pairs on a loaded machine), the hierarchy of single linkage
// still may: the partition at the widest gap between the figures at which it joins hosts, when
// that gap stands `minSeparation` sigmas clear of the noise of the pairs inside the domains it
// makes. A pair that shared an uplink measured a share of it, so only the pairs across, never
// the pairs inside, are lowered by contention: the gap is from the fastest pair across (about
// the uplink alone) to the slowest join inside, and sigma is the spread of the pairs inside and
// of the pairs across that had their uplinks to themselves, each about its own median (or the
// measurement noise of one figure, if larger). Every domain must hold two hosts or more.
std::optional<Candidate> widestJoinGap(std::size_t n, const std::vector<int>& members,
                                       const std::vector<Edge>& edges,
                                       const std::vector<char>& healthy, double noiseSigma,
                                       const SplitRule& rule) {
  std::vector<const Edge*> order;
  for (const Edge& e : edges) {
    if (healthy[static_cast<std::size_t>(e.a)] && healthy[static_cast<std::size_t>(e.b)])
      order.push_back(&e);
  }
  std::sort(order.begin(), order.end(),
            [](const Edge* x, const Edge* y) { return x->bw.value > y->bw.value; });
  Components uf(n);
  std::vector<double> joins;  // descending: the figure of each join of two components
  for (const Edge* e : order) {
    if (uf.find(e->a) == uf.find(e->b)) continue;
    uf.join(e->a, e->b);
    joins.push_back(e->bw.value);
  }
  if (joins.size() < 2) return std::nullopt;
  std::size_t widest = 0;
  for (std::size_t i = 1; i + 1 < joins.size(); ++i) {
    if (joins[i] / joins[i + 1] > joins[widest] / joins[widest + 1]) widest = i;
  }
  const double threshold = std::sqrt(joins[widest] * joins[widest + 1]);
  Partition p = components(n, members, edges, healthy,
                           [&](const Edge& e) { return e.bw.value >= threshold; });
  std::vector<int> sizes(static_cast<std::size_t>(domainCount(p)), 0);
  for (int h : members) ++sizes[static_cast<std::size_t>(p[static_cast<std::size_t>(h)])];
  if (sizes.size() < 2 || *std::min_element(sizes.begin(), sizes.end()) < 2) return std::nullopt;
  std::vector<double> inside, across;  // across: the pairs that had their uplinks to themselves
  for (const Edge* e : order) {
    if (p[static_cast<std::size_t>(e->a)] == p[static_cast<std::size_t>(e->b)])
      inside.push_back(std::log(e->bw.value));
    else if (uncontended(*e))
      across.push_back(std::log(e->bw.value));
  }
  if (inside.size() < static_cast<std::size_t>(2 * rule.minCount)) return std::nullopt;
  std::vector<double> deviations;
  for (const auto* group : {&inside, &across}) {
    if (group->size() < 2) continue;
    const double center = median(*group);
    for (double x : *group) deviations.push_back(std::fabs(x - center));
  }
  const double sigma = std::max({1.4826 * median(deviations), noiseSigma, 1e-9});
  const double gap = std::log(joins[widest] / joins[widest + 1]);
  if (gap < rule.minSeparation * sigma) return std::nullopt;
  return Candidate{std::move(p), {"bandwidth", threshold, 0}};
}

// The domains of a partition that stand apart only by their uplinks (see step 3): with the
// partition's neighbours among the candidates, the next coarser (or the whole cluster) and the
// next finer one.
struct SlowUplinks {
  Partition partition, coarser, finer;
  std::vector<int> domains;  // of `partition`, each one domain of `finer`
};

SlowUplinks slowUplinkDomains(const Partition& p, const std::vector<Candidate>& bandwidth,
                              const std::vector<Candidate>& latency,
                              const std::vector<int>& members, std::size_t n) {
  SlowUplinks found{p, {}, {}, {}};
  Partition whole(n, -1);
  for (int h : members) whole[static_cast<std::size_t>(h)] = 0;
  const Partition* coarser = &whole;
  const Partition* finer = nullptr;
  for (const auto* list : {&bandwidth, &latency}) {
    for (const Candidate& c : *list) {
      if (c.partition == p) continue;
      if (refines(p, c.partition) && domainCount(c.partition) > domainCount(*coarser))
        coarser = &c.partition;
      if (refines(c.partition, p) && (!finer || domainCount(c.partition) < domainCount(*finer)))
        finer = &c.partition;
    }
  }
  if (!finer) return found;
  std::map<int, std::set<int>> parts;   // coarser domain -> its domains of p
  std::map<int, std::set<int>> pieces;  // domain of p -> its domains of finer
  for (int h : members) {
    const auto x = static_cast<std::size_t>(h);
    parts[(*coarser)[x]].insert(p[x]);
    pieces[p[x]].insert((*finer)[x]);
  }
  std::vector<int> lone;
  for (const auto& [domain, inside] : parts) {
    if (inside.size() < 2) continue;  // p does not split it
    int large = 0;
    for (int part : inside) {
      if (pieces[part].size() == 1)
        lone.push_back(part);
      else
        ++large;
    }
    if (large != 1) return found;  // not one rest with single domains set apart
  }
  found.coarser = *coarser;
  found.finer = *finer;
  found.domains = std::move(lone);
  return found;
}

// Marks the hosts behind each slow uplink and adds its finding: its pairs leaving it (within the
// coarser domain) against the pairs across the other finer domains there.
void reportSlowUplinks(const SlowUplinks& uplinks, const std::vector<Edge>& edges,
                       const std::vector<char>& healthy, const std::vector<std::string>& hosts,
                       const std::vector<int>& members, std::vector<char>& behindSlowUplink,
                       InferredCluster& result) {
  const Partition& p = uplinks.partition;
  std::set<int> apart(uplinks.domains.begin(), uplinks.domains.end());
  auto at = [](const Partition& q, int h) { return q[static_cast<std::size_t>(h)]; };
  std::vector<double> others;
  std::map<int, std::vector<double>> leaving;
  for (const Edge& e : edges) {
    if (!healthy[static_cast<std::size_t>(e.a)] || !healthy[static_cast<std::size_t>(e.b)] ||
        at(uplinks.coarser, e.a) != at(uplinks.coarser, e.b) ||
        at(uplinks.finer, e.a) == at(uplinks.finer, e.b))
      continue;
    const bool aApart = apart.count(at(p, e.a)) > 0, bApart = apart.count(at(p, e.b)) > 0;
    if (!aApart && !bApart) others.push_back(e.bw.value);
    // Pairs to the rest only: a domain whose measured pairs all lead into another slow one
    // (a sample of pairs can) shows nothing of its own uplink.
    if (aApart && !bApart) leaving[at(p, e.a)].push_back(e.bw.value);
    if (bApart && !aApart) leaving[at(p, e.b)].push_back(e.bw.value);
  }
  for (int domain : uplinks.domains) {
    if (leaving[domain].empty()) continue;
    bool reported = true;  // by a coarser partition already
    for (int h : members) {
      if (at(p, h) == domain && !behindSlowUplink[static_cast<std::size_t>(h)]) reported = false;
    }
    if (reported) continue;
    std::string example;
    for (int h : members) {
      if (at(p, h) != domain) continue;
      if (example.empty()) example = hosts[static_cast<std::size_t>(h)];
      behindSlowUplink[static_cast<std::size_t>(h)] = 1;
    }
    result.degradedUplinks.push_back(
        {"the domain of " + example,
         "its pairs with other domains measure " + gbpsText(median(leaving[domain])) + " against " +
             gbpsText(median(others)) +
             " for the pairs across the other domains, with the same latency: a degraded "
             "uplink, not a level"});
  }
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
  if (n < 1) return Error(source + ": no host measured, expected at least 1");
  std::unordered_map<std::string, int> index;
  for (std::size_t i = 0; i < n; ++i) index[hosts[i]] = static_cast<int>(i);

  // Each pair of hosts once: its best bandwidth, its lowest latency.
  std::unordered_map<std::uint64_t, std::size_t> seen;
  std::vector<Edge> edges;
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
    const int x = std::min(a->second, b->second), y = std::max(a->second, b->second);
    const std::uint64_t key = static_cast<std::uint64_t>(x) * n + static_cast<std::uint64_t>(y);
    auto [at, added] = seen.try_emplace(key, edges.size());
    if (added) edges.push_back({x, y, {}, {}});
    Edge& e = edges[at->second];
    if (pair.gbps > e.bw.value) {
      e.bw = {pair.gbps, pair.gbpsP10, pair.gbpsP90, pair.samples};
      e.contention = pair.contention;
    }
    if (pair.latencyUs > 0 && (e.lat.value == 0 || pair.latencyUs < e.lat.value))
      e.lat = {pair.latencyUs, pair.latencyP10, pair.latencyP90, pair.samples};
  }
  if (n == 1) {  // one server's ranks: a valid cluster of one host, no levels, nothing to find
    auto topology =
        Topology::fromPaths({}, {HostPath{hosts[0], {}, options.gpusPerHost, 0}}, source);
    if (!topology) return topology.error();
    InferredCluster one{std::move(*topology), {}, {}, {}, {}, {}, {}, {}, {}, {}};
    return one;
  }
  std::vector<std::vector<std::size_t>> byHost(n);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    byHost[static_cast<std::size_t>(edges[i].a)].push_back(i);
    byHost[static_cast<std::size_t>(edges[i].b)].push_back(i);
  }
  for (std::size_t h = 0; h < n; ++h) {
    if (byHost[h].empty()) return Error(source + ": host " + hosts[h] + " has no measured link");
  }
  InferredCluster result{Topology{}, {}, {}, {}, {}, {}, {}, {}, {}, {}};

  // 1. Degraded hosts: even their best link is slow (a host behind a degraded uplink still has
  // its fast pairs inside its domain).
  std::vector<double> best(n, 0);
  for (std::size_t h = 0; h < n; ++h) {
    for (std::size_t i : byHost[h]) best[h] = std::max(best[h], edges[i].bw.value);
  }
  const double typicalBest = median(best);
  std::vector<char> healthy(n, 1);
  for (std::size_t h = 0; h < n; ++h) {
    if (best[h] >= options.degradedRatio * typicalBest) continue;
    healthy[h] = 0;
    char text[200];
    std::snprintf(
        text, sizeof text, "its best link measures %s, %.1f%% of the median host's best (%s)",
        gbpsText(best[h]).c_str(), best[h] / typicalBest * 100, gbpsText(typicalBest).c_str());
    result.degradedHosts.push_back({hosts[h], text});
  }
  std::vector<int> members;
  for (std::size_t h = 0; h < n; ++h) {
    if (healthy[h]) members.push_back(static_cast<int>(h));
  }

  // 2. Classes of the healthy pairs.
  std::vector<MeasuredValue> bwValues, latValues;
  for (const Edge& e : edges) {
    if (!healthy[static_cast<std::size_t>(e.a)] || !healthy[static_cast<std::size_t>(e.b)])
      continue;
    bwValues.push_back(e.bw);
    if (e.lat.value > 0) latValues.push_back(e.lat);
  }
  result.bandwidthClasses = splitClasses(bwValues, options.split);
  result.latencyClasses = splitClasses(latValues, options.split);

  // 3. Partitions from each signal, then the levels that nest.
  auto useful = [&](const Partition& p) {
    const int count = domainCount(p);
    return count > 1 && count < static_cast<int>(members.size());
  };
  std::vector<Candidate> bandwidth, latency;
  for (double t : result.bandwidthClasses.thresholds) {
    Partition p =
        components(n, members, edges, healthy, [&](const Edge& e) { return e.bw.value >= t; });
    if (!useful(p) || find(bandwidth, p) >= 0) continue;
    bandwidth.push_back({p, {"bandwidth", t, 0}});
  }
  for (double t : result.latencyClasses.thresholds) {
    Partition p = components(n, members, edges, healthy,
                             [&](const Edge& e) { return e.lat.value > 0 && e.lat.value <= t; });
    if (!useful(p) || find(latency, p) >= 0) continue;
    latency.push_back({p, {"latency", 0, t}});
  }
  if (bandwidth.empty()) {
    auto joined =
        widestJoinGap(n, members, edges, healthy, result.bandwidthClasses.sigma, options.split);
    if (joined && useful(joined->partition)) bandwidth.push_back(std::move(*joined));
  }
  auto coarsestFirst = [](const Candidate& x, const Candidate& y) {
    return domainCount(x.partition) < domainCount(y.partition);
  };
  std::sort(bandwidth.begin(), bandwidth.end(), coarsestFirst);
  std::sort(latency.begin(), latency.end(), coarsestFirst);
  // A bandwidth partition that latency does not give, and that within each domain of the next
  // coarser partition only sets single domains of the next finer one apart from the rest: those
  // domains' uplinks are degraded; it is not a level.
  std::vector<char> behindSlowUplink(n, 0);
  if (!result.latencyClasses.thresholds.empty()) {
    for (std::size_t i = 0; i < bandwidth.size(); ++i) {
      if (find(latency, bandwidth[i].partition) >= 0) continue;
      auto uplinks = slowUplinkDomains(bandwidth[i].partition, bandwidth, latency, members, n);
      if (uplinks.domains.empty()) continue;
      reportSlowUplinks(uplinks, edges, healthy, hosts, members, behindSlowUplink, result);
      bandwidth.erase(bandwidth.begin() + static_cast<std::ptrdiff_t>(i));
      --i;
    }
  }
  std::vector<Candidate> chain;
  for (const Candidate& c : bandwidth) {
    if (chain.empty() || refines(c.partition, chain.back().partition)) chain.push_back(c);
  }

  for (const Candidate& c : latency) {
    const int same = find(chain, c.partition);
    if (same >= 0) {
      chain[static_cast<std::size_t>(same)].evidence.signals = "bandwidth and latency";
      chain[static_cast<std::size_t>(same)].evidence.latencyThreshold = c.evidence.latencyThreshold;
      continue;
    }
    std::size_t at = 0;
    while (at < chain.size() && domainCount(chain[at].partition) < domainCount(c.partition)) ++at;
    const bool fits = (at == 0 || refines(c.partition, chain[at - 1].partition)) &&
                      (at == chain.size() || refines(chain[at].partition, c.partition));
    if (fits) {
      chain.insert(chain.begin() + static_cast<long>(at), c);
      continue;
    }
    result.disagreements.push_back(
        {"latency classes at " + usText(c.evidence.latencyThreshold),
         "group the hosts into " + std::to_string(domainCount(c.partition)) +
             " domains that cut across the domains the bandwidth classes make"});
  }
  // 4. Degraded hosts are placed by latency, or nowhere.
  const std::size_t levels = chain.size();
  std::vector<Partition> partitions;
  for (const Candidate& c : chain) partitions.push_back(c.partition);
  std::vector<char> placedNowhere(n, 0);
  const double insideLatency =
      latency.empty() || levels == 0 ? 0 : result.latencyClasses.thresholds.front();
  for (std::size_t h = 0; h < n; ++h) {
    if (healthy[h] || levels == 0) continue;
    std::vector<std::pair<double, int>> near;  // (latency, healthy host)
    for (std::size_t i : byHost[h]) {
      const int other = edges[i].a == static_cast<int>(h) ? edges[i].b : edges[i].a;
      if (healthy[static_cast<std::size_t>(other)] && edges[i].lat.value > 0)
        near.emplace_back(edges[i].lat.value, other);
    }
    std::sort(near.begin(), near.end());
    std::string why;
    if (result.latencyClasses.thresholds.empty() || near.empty()) {
      why = "latency shows no classes to place it by";
    } else if (near.front().first > insideLatency) {
      why = "its lowest latency, " + usText(near.front().first) + " to " +
            hosts[static_cast<std::size_t>(near.front().second)] +
            ", is above the class of pairs inside a domain (up to " + usText(insideLatency) + ")";
    } else {
      std::map<int, int> votes;
      int inClass = 0;
      for (const auto& [lat, other] : near) {
        if (lat > insideLatency) break;
        ++votes[partitions.back()[static_cast<std::size_t>(other)]];
        ++inClass;
      }
      const auto top =
          std::max_element(votes.begin(), votes.end(),
                           [](const auto& x, const auto& y) { return x.second < y.second; });
      if (top->second * 4 < inClass * 3) {
        why = "the hosts it reaches within the latency of one domain sit in " +
              std::to_string(votes.size()) + " domains";
      } else {
        for (Partition& p : partitions) {
          p[h] = p[static_cast<std::size_t>(near.front().second)];
        }
        continue;
      }
    }
    placedNowhere[h] = 1;
    result.unplacedHosts.push_back({hosts[h], "degraded, placed nowhere: " + why});
  }

  std::vector<std::string> levelNames;
  for (std::size_t l = 0; l < levels; ++l) {
    levelNames.push_back("island-" + std::to_string(l + 1));
    result.levels.push_back(chain[l].evidence);
  }
  std::vector<HostPath> rows;
  for (std::size_t h = 0; h < n; ++h) {
    HostPath row{hosts[h], {}, options.gpusPerHost, 0};
    for (const Partition& p : partitions) {
      row.labels.push_back(placedNowhere[h] || p[h] < 0 ? "unplaced-" + hosts[h]
                                                        : "i" + std::to_string(p[h] + 1));
    }
    rows.push_back(std::move(row));
  }
  auto topology = Topology::fromPaths(levelNames, rows, source);
  if (!topology) return topology.error();
  result.topology = std::move(*topology);

  // 5. Degraded links: far below the median of their class (pairs that shared an uplink in their
  // round measured a share of it: they are neither judged nor a class's measure).
  std::map<int, std::vector<double>> byClass;
  for (const Edge& e : edges) {
    if (healthy[static_cast<std::size_t>(e.a)] && healthy[static_cast<std::size_t>(e.b)] &&
        uncontended(e))
      byClass[result.topology.sharedLevels(e.a, e.b)].push_back(e.bw.value);
  }
  std::map<int, double> classMedian;
  for (auto& [shared, list] : byClass) classMedian[shared] = median(list);
  for (const Edge& e : edges) {
    if (!healthy[static_cast<std::size_t>(e.a)] || !healthy[static_cast<std::size_t>(e.b)] ||
        !uncontended(e))
      continue;
    const int shared = result.topology.sharedLevels(e.a, e.b);
    const bool throughSlowUplink =
        shared < static_cast<int>(levels) && (behindSlowUplink[static_cast<std::size_t>(e.a)] ||
                                              behindSlowUplink[static_cast<std::size_t>(e.b)]);
    if (throughSlowUplink) continue;  // its uplink's finding explains it
    if (e.bw.value < options.degradedRatio * classMedian[shared]) {
      const std::string& a = hosts[static_cast<std::size_t>(e.a)];
      const std::string& b = hosts[static_cast<std::size_t>(e.b)];
      result.degradedLinks.push_back(
          {a + " <-> " + b, "measures " + gbpsText(e.bw.value) + " against " +
                                gbpsText(classMedian[shared]) + " for pairs sharing " +
                                std::to_string(shared) + " level(s)"});
      result.degradedLinkHosts.emplace_back(a, b);
    }
  }
  return result;
}

void applyMeasuredFigures(const Topology& topology, const std::vector<PairMeasurement>& pairs,
                          const std::vector<std::string>& degradedHosts,
                          const std::vector<std::pair<std::string, std::string>>& degradedLinks,
                          CostModel& cost) {
  const int levels = topology.levelCount();
  const std::size_t hostCount = topology.hosts().size();
  std::vector<char> degraded(hostCount, 0);
  for (const std::string& name : degradedHosts) {
    const int h = topology.hostIndex(name);
    if (h >= 0) degraded[static_cast<std::size_t>(h)] = 1;
  }
  std::set<std::pair<int, int>> badLinks;
  for (const auto& [a, b] : degradedLinks) {
    const int x = topology.hostIndex(a), y = topology.hostIndex(b);
    if (x >= 0 && y >= 0) badLinks.insert({std::min(x, y), std::max(x, y)});
  }
  std::vector<std::vector<double>> inside(hostCount), all(hostCount);
  std::vector<std::vector<double>> leaving(topology.domains().size());
  // Pairs that shared an uplink in their round measured a share of it: an uplink's figure comes
  // from the pairs that did not, where it has any.
  std::vector<std::vector<double>> leavingAlone(topology.domains().size());
  std::map<int, std::vector<double>> latencyByShared;
  for (const PairMeasurement& pair : pairs) {
    const int a = topology.hostIndex(pair.a), b = topology.hostIndex(pair.b);
    if (a < 0 || b < 0 || a == b) continue;
    const bool slow =
        degraded[static_cast<std::size_t>(a)] || degraded[static_cast<std::size_t>(b)];
    for (int h : {a, b}) {
      if (degraded[static_cast<std::size_t>(h)])
        all[static_cast<std::size_t>(h)].push_back(pair.gbps);
    }
    if (slow || badLinks.count({std::min(a, b), std::max(a, b)})) continue;
    const int shared = topology.sharedLevels(a, b);
    if (pair.latencyUs > 0) latencyByShared[shared].push_back(pair.latencyUs);
    if (shared == levels) {
      inside[static_cast<std::size_t>(a)].push_back(pair.gbps);
      inside[static_cast<std::size_t>(b)].push_back(pair.gbps);
      continue;
    }
    // The pair leaves the domains of a and b at level `shared`.
    for (int host : {a, b}) {
      const auto domain = static_cast<std::size_t>(topology.hosts()[static_cast<std::size_t>(host)]
                                                       .domains[static_cast<std::size_t>(shared)]);
      leaving[domain].push_back(pair.gbps);
      if (pair.contention <= 1) leavingAlone[domain].push_back(pair.gbps);
      if (levels > 0 && shared == levels - 1)  // the host's own figure, if its domain has no pair
        all[static_cast<std::size_t>(host)].push_back(pair.gbps);
    }
  }
  auto figure = [](std::vector<double> values) {
    const SampleStats s = summarize(std::move(values));
    return Figure{s.median, "measured", s.p10, s.p90, static_cast<std::size_t>(s.samples)};
  };
  for (std::size_t h = 0; h < hostCount; ++h) {
    auto& values = degraded[h] || inside[h].empty() ? all[h] : inside[h];
    if (!values.empty()) cost.setHostFigure(static_cast<int>(h), figure(values));
  }
  for (std::size_t d = 0; d < leaving.size(); ++d) {
    auto& values = leavingAlone[d].empty() ? leaving[d] : leavingAlone[d];
    if (!values.empty()) cost.setUplinkFigure(static_cast<int>(d), figure(values));
  }
  if (latencyByShared.empty()) return;
  std::vector<double> table(static_cast<std::size_t>(levels) + 1, 0.0);
  for (auto& [shared, values] : latencyByShared)
    table[static_cast<std::size_t>(shared)] = median(values);
  // Levels no pair measured take the nearest measured one's latency.
  for (std::size_t s = 0; s < table.size(); ++s) {
    if (table[s] > 0) continue;
    for (std::size_t d = 1; d < table.size(); ++d) {
      if (s + d < table.size() && table[s + d] > 0) {
        table[s] = table[s + d];
        break;
      }
      if (s >= d && table[s - d] > 0) {
        table[s] = table[s - d];
        break;
      }
    }
  }
  cost.setLatencyByShared(table, "measured");
}

}  // namespace topoplan
