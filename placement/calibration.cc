#include "placement/calibration.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/stats.h"
#include "placement/gang.h"

namespace topoplan {

std::vector<std::string> calibrate(const Topology& topology, CostModel& cost,
                                   const std::vector<CalibrationSample>& samples) {
  // Grouped by what limits each sample's prediction: -1 host links, else a level's uplinks.
  std::map<int, std::pair<std::vector<double>, std::vector<std::string>>> byLimit;
  std::set<std::vector<std::string>> seen;  // a host set measured once counts once
  for (const CalibrationSample& sample : samples) {
    if (!(sample.predictedBusbwGbps > 0) || !(sample.measuredBusbwGbps > 0)) continue;
    std::vector<std::string> key = sample.hosts;
    std::sort(key.begin(), key.end());
    if (!seen.insert(key).second) continue;
    std::vector<int> hosts;
    for (const std::string& name : sample.hosts) {
      const int index = topology.hostIndex(name);
      if (index >= 0) hosts.push_back(index);
    }
    if (hosts.size() != sample.hosts.size() || hosts.size() < 2) continue;
    const Prediction prediction = cost.predict(hosts, Pattern::kRing, 1 << 20);
    auto& [ratios, names] = byLimit[prediction.bottleneckLevel];
    ratios.push_back(sample.measuredBusbwGbps / sample.predictedBusbwGbps);
    names.push_back(sample.name);
  }
  std::vector<std::string> calibrated;
  for (const auto& [level, group] : byLimit) {
    const double ratio = summarize(group.first).median;
    std::string names;
    for (const std::string& name : group.second) names += (names.empty() ? "" : ", ") + name;
    auto scale = [&](Figure figure) {
      figure.value *= ratio;
      figure.p10 *= ratio;
      figure.p90 *= ratio;
      figure.source = "calibrated";
      return figure;
    };
    char text[300];
    if (level < 0) {
      // Every figure a host's link stands for: one way, and sending and receiving at once.
      for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
        const int host = static_cast<int>(h);
        cost.setHostFigure(host, scale(cost.hostGbps(host)));
        if (cost.hostDuplexGbps(host).value > 0)
          cost.setHostDuplex(host, scale(cost.hostDuplexGbps(host)));
      }
      if (topology.levelCount() > 0)
        for (int d : topology.domainsAt(topology.levelCount() - 1))
          if (cost.ringGbps(d).value > 0) cost.setRingGbps(d, scale(cost.ringGbps(d)));
      std::snprintf(text, sizeof text,
                    "host links x%.3g (the median of %zu candidate(s) a host link limits: %s)",
                    ratio, group.first.size(), names.c_str());
    } else {
      for (int d : topology.domainsAt(level)) {
        cost.setUplinkFigure(d, scale(cost.uplinkGbps(d)));
        if (cost.uplinkDuplexGbps(d).value > 0)
          cost.setUplinkDuplex(d, scale(cost.uplinkDuplexGbps(d)));
      }
      std::snprintf(
          text, sizeof text,
          "uplinks of %s x%.3g (the median of %zu candidate(s) such an uplink limits: %s)",
          topology.levelNames()[static_cast<std::size_t>(level)].c_str(), ratio, group.first.size(),
          names.c_str());
    }
    calibrated.push_back(text);
  }
  return calibrated;
}

}  // namespace topoplan
