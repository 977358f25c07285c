#include "placement/declared_check.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/stats.h"

namespace topoplan {
namespace {

struct PairFigures {
  int a = 0, b = 0;
  MeasuredValue bw, lat;
  int contention = 0;  // of the measurement bw comes from (1: alone)
};

double median(std::vector<double> values) {
  return values.empty() ? 0 : summarize(std::move(values)).median;
}

std::string figure(double gbps, double us) {
  char text[64];
  if (us > 0)
    std::snprintf(text, sizeof text, "%.3g GB/s (%.3g us)", gbps, us);
  else
    std::snprintf(text, sizeof text, "%.3g GB/s", gbps);
  return text;
}

std::string listOf(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
  if (names.size() > 8) list += ", ... (" + std::to_string(names.size()) + ")";
  return list;
}

}  // namespace

DeclaredCheck checkDeclared(const Topology& declared, const std::vector<std::string>& measuredHosts,
                            const std::vector<PairMeasurement>& pairs,
                            const std::set<std::string>& degradedHosts,
                            const std::vector<std::pair<std::string, std::string>>& degradedLinks,
                            const DeclaredCheckOptions& options) {
  DeclaredCheck check;
  std::vector<Finding>& findings = check.findings;
  const int levels = declared.levelCount();
  std::set<std::pair<std::string, std::string>> badLinks;
  for (const auto& [a, b] : degradedLinks) badLinks.insert({std::min(a, b), std::max(a, b)});

  // Unknown hosts, both ways.
  std::vector<std::string> unknown, unmeasured;
  std::set<std::string> measured(measuredHosts.begin(), measuredHosts.end());
  for (const std::string& host : measuredHosts) {
    if (declared.hostIndex(host) < 0) unknown.push_back(host);
  }
  for (const Host& host : declared.hosts()) {
    if (!measured.count(host.name)) unmeasured.push_back(host.name);
  }
  if (!unknown.empty()) {
    findings.push_back(
        {"hosts not declared", "measured but not in the declared topology: " + listOf(unknown)});
  }
  if (!unmeasured.empty() && unmeasured.size() < declared.hosts().size()) {
    findings.push_back(
        {"hosts not measured", std::to_string(unmeasured.size()) +
                                   " declared hosts have no measurement: " + listOf(unmeasured)});
  }

  // The healthy pairs of declared hosts, each pair of hosts once (its best figures).
  std::map<std::pair<int, int>, PairFigures> byPair;
  for (const PairMeasurement& p : pairs) {
    const int a = declared.hostIndex(p.a), b = declared.hostIndex(p.b);
    if (a < 0 || b < 0 || a == b || degradedHosts.count(p.a) || degradedHosts.count(p.b) ||
        badLinks.count({std::min(p.a, p.b), std::max(p.a, p.b)}))
      continue;
    auto [at, added] = byPair.try_emplace({std::min(a, b), std::max(a, b)});
    PairFigures& f = at->second;
    f.a = std::min(a, b);
    f.b = std::max(a, b);
    if (p.gbps > f.bw.value) {
      f.bw = {p.gbps, p.gbpsP10, p.gbpsP90, p.samples};
      f.contention = p.contention;
    }
    if (p.latencyUs > 0 && (f.lat.value == 0 || p.latencyUs < f.lat.value))
      f.lat = {p.latencyUs, p.latencyP10, p.latencyP90, p.samples};
  }
  if (levels == 0 || byPair.empty()) return check;
  const auto& hosts = declared.hosts();
  const auto& domains = declared.domains();

  // Mis-cabled or mislabelled hosts: closer to another finest domain than to their own.
  std::vector<std::map<int, std::pair<std::vector<double>, std::vector<double>>>> toDomain(
      hosts.size());
  for (const auto& [key, f] : byPair) {
    for (auto [x, y] : {std::pair{f.a, f.b}, std::pair{f.b, f.a}}) {
      auto& [bw, lat] =
          toDomain[static_cast<std::size_t>(x)][hosts[static_cast<std::size_t>(y)].domains.back()];
      bw.push_back(f.bw.value);
      if (f.lat.value > 0) lat.push_back(f.lat.value);
    }
  }
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    const int own = hosts[h].domains.back();
    const auto mine = toDomain[h].find(own);
    if (mine == toDomain[h].end()) continue;
    const double ownBw = median(mine->second.first), ownLat = median(mine->second.second);
    int closest = own;
    double bestBw = ownBw, bestLat = ownLat;
    for (const auto& [domain, values] : toDomain[h]) {
      const double bw = median(values.first), lat = median(values.second);
      if (bw >= options.ratio * ownBw && bw > bestBw) {
        closest = domain;
        bestBw = bw;
        bestLat = lat;
      }
    }
    if (closest == own && ownLat > 0) {  // bandwidth flat: latency may still tell
      for (const auto& [domain, values] : toDomain[h]) {
        const double bw = median(values.first), lat = median(values.second);
        if (lat > 0 && lat * options.ratio <= ownLat && lat < bestLat &&
            bw >= ownBw / options.ratio) {
          closest = domain;
          bestBw = bw;
          bestLat = lat;
        }
      }
    }
    if (closest == own) continue;
    check.misCabledHosts.push_back(hosts[h].name);
    findings.push_back(
        {hosts[h].name, "declared in " + domains[static_cast<std::size_t>(own)].name +
                            ", but measures " + figure(bestBw, bestLat) + " with the hosts of " +
                            domains[static_cast<std::size_t>(closest)].name + " against " +
                            figure(ownBw, ownLat) +
                            " with its declared domain's: mis-cabled or mislabelled"});
  }

  // Degraded uplinks: below their siblings' (mis-cabled hosts left out: they are not where the
  // declaration says).
  const std::set<std::string> miscabled(check.misCabledHosts.begin(), check.misCabledHosts.end());
  auto sound = [&](const PairFigures& f) {
    return !miscabled.count(hosts[static_cast<std::size_t>(f.a)].name) &&
           !miscabled.count(hosts[static_cast<std::size_t>(f.b)].name);
  };
  // A pair that shared an uplink in its round (with a degraded host's pair, say) measured a share
  // of it: an uplink's figure comes from the pairs measured alone, where it has any.
  std::vector<std::vector<double>> leaving(domains.size()), leavingAlone(domains.size());
  for (const auto& [key, f] : byPair) {
    const int shared = declared.sharedLevels(f.a, f.b);
    if (shared == levels || !sound(f)) continue;
    for (int host : {f.a, f.b}) {
      const auto domain = static_cast<std::size_t>(
          hosts[static_cast<std::size_t>(host)].domains[static_cast<std::size_t>(shared)]);
      leaving[domain].push_back(f.bw.value);
      if (f.contention <= 1) leavingAlone[domain].push_back(f.bw.value);
    }
  }
  for (std::size_t d = 0; d < leaving.size(); ++d) {
    if (!leavingAlone[d].empty()) leaving[d] = std::move(leavingAlone[d]);
  }
  std::set<int> slowUplinks;
  std::map<int, std::vector<int>> siblings;  // parent (-1: the cluster) -> domains
  for (std::size_t d = 0; d < domains.size(); ++d)
    siblings[domains[d].parent].push_back(static_cast<int>(d));
  for (const auto& [parent, list] : siblings) {
    if (list.size() < 3) continue;
    std::vector<double> figures;
    for (int d : list) {
      if (!leaving[static_cast<std::size_t>(d)].empty())
        figures.push_back(median(leaving[static_cast<std::size_t>(d)]));
    }
    const double typical = median(figures);
    for (int d : list) {
      const auto& values = leaving[static_cast<std::size_t>(d)];
      if (values.empty()) continue;
      const SampleStats mine = summarize(values);
      if (mine.median >= options.uplinkRatio * typical) continue;
      slowUplinks.insert(d);
      char text[200];
      std::snprintf(text, sizeof text,
                    "its uplink measures %.3g GB/s [%.3g, %.3g] over %zu pairs against %.3g GB/s "
                    "for its %zu siblings: a degraded uplink",
                    mine.median, mine.p10, mine.p90, values.size(), typical, list.size() - 1);
      findings.push_back({declared.levelNames()[static_cast<std::size_t>(
                              domains[static_cast<std::size_t>(d)].level)] +
                              " " + domains[static_cast<std::size_t>(d)].name,
                          text});
    }
  }

  // Pairs by the levels they share, without those through a degraded uplink.
  std::vector<std::vector<MeasuredValue>> byShared(static_cast<std::size_t>(levels) + 1),
      latencyByShared(static_cast<std::size_t>(levels) + 1);
  for (const auto& [key, f] : byPair) {
    const int shared = declared.sharedLevels(f.a, f.b);
    bool throughSlow = false;
    for (int host : {f.a, f.b}) {
      const auto& path = hosts[static_cast<std::size_t>(host)].domains;
      for (std::size_t l = static_cast<std::size_t>(shared); l < path.size(); ++l)
        throughSlow = throughSlow || slowUplinks.count(path[l]);
    }
    if (throughSlow || !sound(f)) continue;
    byShared[static_cast<std::size_t>(shared)].push_back(f.bw);
    if (f.lat.value > 0) latencyByShared[static_cast<std::size_t>(shared)].push_back(f.lat);
  }

  // Levels that are not a boundary for bandwidth.
  for (int l = 0; l < levels; ++l) {
    const auto& across = byShared[static_cast<std::size_t>(l)];
    const auto& inside = byShared[static_cast<std::size_t>(l) + 1];
    if (across.size() < 3 || inside.size() < 3) continue;
    std::vector<MeasuredValue> both = across;
    both.insert(both.end(), inside.begin(), inside.end());
    if (splitClasses(both, options.split).classes.size() > 1) continue;
    std::vector<double> a, b;
    for (const auto& v : across) a.push_back(v.value);
    for (const auto& v : inside) b.push_back(v.value);
    const double ratio = median(b) / median(a);
    if (ratio > options.ratio || ratio < 1 / options.ratio) continue;  // too few pairs to split
    std::string text = "pairs across its domains measure " + figure(median(a), 0) +
                       ", pairs inside them " + figure(median(b), 0) +
                       ": not a boundary for bandwidth";
    auto lat = latencyByShared[static_cast<std::size_t>(l)];
    const auto& latInside = latencyByShared[static_cast<std::size_t>(l) + 1];
    if (lat.size() >= 2 && latInside.size() >= 2) {
      lat.insert(lat.end(), latInside.begin(), latInside.end());
      if (splitClasses(lat, options.split).classes.size() > 1) text += " (latency separates them)";
    }
    findings.push_back({"level " + declared.levelNames()[static_cast<std::size_t>(l)], text});
  }
  return check;
}

}  // namespace topoplan
