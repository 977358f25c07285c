#include "report/documents/path_overhead.h"

#include <cstdio>
#include <map>

namespace topoplan {
namespace {

nlohmann::ordered_json spread(const SampleStats& s) {
  return {{"median", s.median}, {"p10", s.p10}, {"p90", s.p90}};
}

}  // namespace

std::string pathName(const std::string& probe, const std::string& iface) {
  return iface.empty() ? probe : probe + " over " + iface;
}

std::vector<PathOverhead> pathOverheads(const std::vector<PairMeasurement>& pairs,
                                        const SharedLevels& sharedLevels) {
  std::vector<std::pair<std::string, std::string>> paths;  // (name, probe), first appearance
  std::map<std::string, std::map<std::pair<std::string, std::string>, const PairMeasurement*>>
      byPath;
  for (const PairMeasurement& pair : pairs) {
    const std::string name = pathName(pair.probe, pair.iface);
    auto& hosts = byPath[name];
    if (hosts.empty()) paths.emplace_back(name, pair.probe);
    hosts[{std::min(pair.a, pair.b), std::max(pair.a, pair.b)}] = &pair;
  }
  std::vector<PathOverhead> overheads;
  for (std::size_t q = 1; q < paths.size(); ++q) {
    std::size_t reference = 0;
    for (std::size_t p = 0; p < q; ++p) {
      if (paths[p].second == paths[q].second) reference = p;
    }
    std::map<int, std::pair<std::vector<double>, std::vector<double>>> byClass;
    const auto& base = byPath[paths[reference].first];
    for (const auto& [hosts, measured] : byPath[paths[q].first]) {
      const auto other = base.find(hosts);
      if (other == base.end() || !(other->second->gbps > 0)) continue;
      auto& [loss, added] = byClass[sharedLevels(hosts.first, hosts.second)];
      loss.push_back((1 - measured->gbps / other->second->gbps) * 100);
      added.push_back(measured->latencyUs - other->second->latencyUs);
    }
    for (auto& [shared, values] : byClass) {
      overheads.push_back({paths[q].first, paths[reference].first, shared, summarize(values.first),
                           summarize(values.second)});
    }
  }
  return overheads;
}

nlohmann::ordered_json pathOverheadJson(const std::vector<PathOverhead>& overheads) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const PathOverhead& o : overheads) {
    list.push_back({{"path", o.path},
                    {"reference", o.reference},
                    {"shared_levels", o.sharedLevels},
                    {"pairs", o.bwLossPercent.samples},
                    {"bw_loss_pct", spread(o.bwLossPercent)},
                    {"lat_added_us", spread(o.latencyAddedUs)}});
  }
  return list;
}

std::string pathOverheadText(const std::vector<PathOverhead>& overheads) {
  if (overheads.empty()) return "";
  std::string text = "path overhead (per class of pairs; median [p10, p90]):\n";
  for (const PathOverhead& o : overheads) {
    char line[320];
    std::snprintf(line, sizeof line,
                  "  %s against %s, pairs sharing %d level(s) (%llu): bandwidth %.1f%% lower "
                  "[%.1f, %.1f], latency %+.1f us [%+.1f, %+.1f]\n",
                  o.path.c_str(), o.reference.c_str(), o.sharedLevels,
                  static_cast<unsigned long long>(o.bwLossPercent.samples), o.bwLossPercent.median,
                  o.bwLossPercent.p10, o.bwLossPercent.p90, o.latencyAddedUs.median,
                  o.latencyAddedUs.p10, o.latencyAddedUs.p90);
    text += line;
  }
  return text;
}

}  // namespace topoplan
