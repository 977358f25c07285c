#include "probes/suspects.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/stats.h"

namespace topoplan {
namespace {

struct Figures {
  double bw = 0, lat = 0;
};

// Bandwidth: the median at the largest size; latency: the p10 of the smallest size's samples,
// the round trips the path allows (the median also holds a host's scheduling noise).
Figures figuresOf(const LinkMeasurement& link) {
  const auto& sizes = link.concurrent;
  if (sizes.empty()) return {};
  return {sizes.back().bwGbps.median, sizes.front().latUs.p10};
}

// Classes: -1 for a pair within one host, else shared levels x kLoads + contention (0: any).
constexpr int kLoads = 1000;

int classOf(const LinkMeasurement& link, const std::vector<std::string>& hosts,
            const FabricStructure& structure, int contention) {
  const std::string& a = hosts[static_cast<std::size_t>(link.a)];
  const std::string& b = hosts[static_cast<std::size_t>(link.b)];
  return a == b ? -1
                : structure.sharedLevels(a, b) * kLoads + std::clamp(contention, 1, kLoads - 1);
}

std::string className(int cls) {
  if (cls < 0) return "pairs within a host";
  std::string name = "pairs sharing " + std::to_string(cls / kLoads) + " level(s)";
  if (cls % kLoads > 0) name += ", " + std::to_string(cls % kLoads) + " on their busiest uplink";
  return name;
}

struct ClassMedians {
  std::map<int, double> bw, lat;
};

ClassMedians medians(const std::vector<LinkMeasurement>& links, const std::vector<int>& classes,
                     const std::vector<std::string>& hosts, const std::set<std::string>& without) {
  std::map<int, std::vector<double>> bw, lat;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const auto& link = links[i];
    if (without.count(hosts[static_cast<std::size_t>(link.a)]) ||
        without.count(hosts[static_cast<std::size_t>(link.b)]))
      continue;
    const Figures f = figuresOf(link);
    if (f.bw > 0) bw[classes[i]].push_back(f.bw);
    if (f.lat > 0) lat[classes[i]].push_back(f.lat);
  }
  ClassMedians m;
  for (auto& [cls, values] : bw) m.bw[cls] = summarize(values).median;
  for (auto& [cls, values] : lat) m.lat[cls] = summarize(values).median;
  return m;
}

// Why the link is low against its class, or "". A pair that shared its busiest uplink with k-1
// others measured a share of it, which TCP and the fabric do not split evenly: it is low only
// below bwRatio / k of its class.
std::string lowReason(const Figures& f, int cls, const ClassMedians& m, const SuspectRule& rule) {
  char text[240] = "";
  const auto bw = m.bw.find(cls);
  const auto lat = m.lat.find(cls);
  const double ratio = rule.bwRatio / std::max(1, cls < 0 ? 1 : cls % kLoads);
  if (bw != m.bw.end() && f.bw < ratio * bw->second) {
    std::snprintf(text, sizeof text,
                  "bandwidth %.4g GB/s below %.3g x the median of its class (%s: %.4g GB/s)", f.bw,
                  ratio, className(cls).c_str(), bw->second);
  } else if (lat != m.lat.end() && f.lat > rule.latRatio * lat->second) {
    std::snprintf(text, sizeof text,
                  "latency (p10) %.4g us above %.3g x the median of its class (%s: %.4g us)", f.lat,
                  rule.latRatio, className(cls).c_str(), lat->second);
  }
  return text;
}

}  // namespace

SuspectVerdict findSuspects(const std::vector<LinkMeasurement>& links,
                            const std::vector<std::string>& rankHosts,
                            const FabricStructure& structure, const SuspectRule& rule,
                            const std::vector<int>& contention) {
  SuspectVerdict verdict;
  verdict.reasons.assign(links.size(), "");
  std::vector<int> classes;
  std::map<int, int> members;
  for (std::size_t i = 0; i < links.size(); ++i) {
    classes.push_back(
        classOf(links[i], rankHosts, structure, i < contention.size() ? contention[i] : 1));
    ++members[classes.back()];
  }
  // A class of fewer than 3 pairs joins the pairs of its level, whatever their contention.
  for (int& cls : classes) {
    if (cls >= 0 && members[cls] < 3) cls -= cls % kLoads;
  }

  // Hosts whose pairs between hosts are mostly low explain them.
  ClassMedians all = medians(links, classes, rankHosts, {});
  std::map<std::string, std::pair<int, int>> tally;  // host -> (low pairs, pairs)
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (classes[i] < 0) continue;
    const bool low = !lowReason(figuresOf(links[i]), classes[i], all, rule).empty();
    for (int rank : {links[i].a, links[i].b}) {
      auto& [lows, count] = tally[rankHosts[static_cast<std::size_t>(rank)]];
      lows += low;
      ++count;
    }
  }
  std::set<std::string> suspectHosts;
  for (const auto& [host, counts] : tally) {
    const auto [lows, count] = counts;
    if (lows >= 3 && lows >= rule.hostShare * count) {
      suspectHosts.insert(host);
      char text[160];
      std::snprintf(text, sizeof text,
                    "%d of its %d pairs with other hosts are low against their classes: its own "
                    "link is slow",
                    lows, count);
      verdict.hosts.push_back({host, text});
    }
  }

  // Each link against the medians of its class without the suspect hosts.
  const ClassMedians healthy = medians(links, classes, rankHosts, suspectHosts);
  std::map<std::string, std::vector<std::size_t>> byHost;  // a suspect host's links, best first
  for (std::size_t i = 0; i < links.size(); ++i) {
    verdict.reasons[i] = lowReason(figuresOf(links[i]), classes[i], healthy, rule);
    const std::string& a = rankHosts[static_cast<std::size_t>(links[i].a)];
    const std::string& b = rankHosts[static_cast<std::size_t>(links[i].b)];
    const bool explainedA = suspectHosts.count(a) > 0, explainedB = suspectHosts.count(b) > 0;
    if (classes[i] >= 0 && (explainedA || explainedB)) {
      // Measured again only as one of its host's confirming pairs (with a healthy partner).
      if (explainedA != explainedB) byHost[explainedA ? a : b].push_back(i);
      if (!verdict.reasons[i].empty())
        verdict.reasons[i] += "; explained by the slow host " + (explainedA ? a : b);
      continue;
    }
    if (!verdict.reasons[i].empty()) verdict.retest.push_back(i);
  }
  for (auto& [host, indices] : byHost) {
    std::stable_sort(indices.begin(), indices.end(), [&](std::size_t x, std::size_t y) {
      const bool lowX = !verdict.reasons[x].empty(), lowY = !verdict.reasons[y].empty();
      if (lowX != lowY) return lowX;                                 // low pairs first
      if (classes[x] != classes[y]) return classes[x] > classes[y];  // then the finest class
      return figuresOf(links[x]).bw > figuresOf(links[y]).bw;
    });
    for (std::size_t k = 0; k < indices.size() && static_cast<int>(k) < rule.confirmPairs; ++k) {
      verdict.retest.push_back(indices[k]);
      if (verdict.reasons[indices[k]].empty())
        verdict.reasons[indices[k]] = "confirms the slow host " + host;
    }
  }
  std::sort(verdict.retest.begin(), verdict.retest.end());
  verdict.retest.erase(std::unique(verdict.retest.begin(), verdict.retest.end()),
                       verdict.retest.end());
  return verdict;
}

std::string describe(const SuspectRule& rule) {
  char text[700];
  std::snprintf(text, sizeof text,
                "a pair is compared with the pairs of its class (its path kind, the fabric "
                "levels its hosts share and the most pairs of its round on one of its uplinks, k): "
                "low when its bandwidth is below %.3g / k x the class median or its latency (p10 "
                "of its samples) above %.3g x; a host with at least %.0f%% (and 3) of its "
                "pairs low is a slow host and only %d of its pairs are measured again; every "
                "other low pair is measured again, in rounds that share no host and no uplink",
                rule.bwRatio, rule.latRatio, rule.hostShare * 100, rule.confirmPairs);
  return text;
}

}  // namespace topoplan
