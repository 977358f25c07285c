#include "placement/cost_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace topoplan {
namespace {

std::string describe(const std::string& what, const Figure& figure) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, " (%.3g GB/s, %s)", figure.value, figure.source.c_str());
  return what + buffer;
}

double transferUs(double bytes, double gbps) {
  return gbps > 0 ? bytes / (gbps * 1e3) : 1e300;
}

}  // namespace

CostModel::CostModel(const Topology& topology)
    : topology_(&topology),
      hostGbps_(topology.hosts().size(), Figure{kDefaultGbps, "default"}),
      uplinkGbps_(topology.domains().size(), Figure{kDefaultGbps, "default"}),
      aggregateUplinkGbps_(topology.domains().size(), Figure{0, "default"}),
      ringGbps_(topology.domains().size(), Figure{0, "default"}),
      hostDuplexGbps_(topology.hosts().size(), Figure{0, "default"}),
      uplinkDuplexGbps_(topology.domains().size(), Figure{0, "default"}),
      oversubscription_(static_cast<std::size_t>(topology.levelCount()), 1.0) {}

void CostModel::setHostGbps(int host, double gbps, const std::string& source) {
  hostGbps_[static_cast<std::size_t>(host)] = {gbps, source};
}

void CostModel::setUplinkGbps(int domain, double gbps, const std::string& source) {
  uplinkGbps_[static_cast<std::size_t>(domain)] = {gbps, source};
}

void CostModel::setOversubscription(int level, double ratio) {
  oversubscription_[static_cast<std::size_t>(level)] = ratio;
}

void CostModel::setLatency(double baseUs, double hopUs, const std::string& source) {
  latencyByShared_.clear();
  baseLatencyUs_ = baseUs;
  hopLatencyUs_ = hopUs;
  latencySource_ = source;
}

void CostModel::setHostFigure(int host, Figure figure) {
  hostGbps_[static_cast<std::size_t>(host)] = std::move(figure);
}

void CostModel::setUplinkFigure(int domain, Figure figure) {
  uplinkGbps_[static_cast<std::size_t>(domain)] = std::move(figure);
}

void CostModel::setAggregateUplink(int domain, Figure figure) {
  aggregateUplinkGbps_[static_cast<std::size_t>(domain)] = std::move(figure);
}

void CostModel::setRingGbps(int domain, Figure figure) {
  ringGbps_[static_cast<std::size_t>(domain)] = std::move(figure);
}

void CostModel::setHostDuplex(int host, Figure figure) {
  hostDuplexGbps_[static_cast<std::size_t>(host)] = std::move(figure);
}

void CostModel::setUplinkDuplex(int domain, Figure figure) {
  uplinkDuplexGbps_[static_cast<std::size_t>(domain)] = std::move(figure);
}

const Figure& CostModel::hostFigure(int host, bool duplex) const {
  if (duplex) {
    if (hostDuplexGbps(host).value > 0) return hostDuplexGbps(host);
    const auto& domains = topology_->hosts()[static_cast<std::size_t>(host)].domains;
    if (!domains.empty() && ringGbps(domains.back()).value > 0) return ringGbps(domains.back());
  }
  return hostGbps(host);
}

const Figure& CostModel::uplinkFigure(int domain, bool duplex) const {
  return duplex && uplinkDuplexGbps(domain).value > 0 ? uplinkDuplexGbps(domain)
                                                      : uplinkGbps(domain);
}

void CostModel::setLatencyByShared(std::vector<double> latencyUs, const std::string& source) {
  latencyByShared_ = std::move(latencyUs);
  latencySource_ = source;
}

double CostModel::latencyUs(int sharedLevels) const {
  if (sharedLevels >= 0 && static_cast<std::size_t>(sharedLevels) < latencyByShared_.size())
    return latencyByShared_[static_cast<std::size_t>(sharedLevels)];
  return baseLatencyUs_ + 2.0 * hopLatencyUs_ * (topology_->levelCount() - sharedLevels);
}

std::vector<int> CostModel::ringOrder(std::vector<int> hosts) const {
  const auto& all = topology_->hosts();
  std::stable_sort(hosts.begin(), hosts.end(), [&](int a, int b) {
    return all[static_cast<std::size_t>(a)].domains < all[static_cast<std::size_t>(b)].domains;
  });
  return hosts;
}

double CostModel::pathGbps(int a, int b, std::string* limit, int* limitLevel, bool duplex) const {
  const auto& hosts = topology_->hosts();
  double best = 1e300;
  // `what` names the figure; it is built only for a new bottleneck, where a limit is asked for.
  auto consider = [&](const Figure& figure, int level, const auto& what) {
    if (figure.value < best) {
      best = figure.value;
      if (limit) *limit = describe(what(), figure);
      if (limitLevel) *limitLevel = level;
    }
  };
  for (int host : {a, b}) {
    const Figure& figure = hostFigure(host, duplex);
    consider(figure, -1, [&] {
      const std::string& name = hosts[static_cast<std::size_t>(host)].name;
      return &figure == &hostGbps(host) ? "link of host " + name
                                        : "host " + name + " sending and receiving at once";
    });
  }
  const int shared = topology_->sharedLevels(a, b);
  for (int level = shared; level < topology_->levelCount(); ++level) {
    for (int host : {a, b}) {
      const int domain =
          hosts[static_cast<std::size_t>(host)].domains[static_cast<std::size_t>(level)];
      const Figure& figure = uplinkFigure(domain, duplex);
      consider(figure, level, [&] {
        return "uplink of " + topology_->levelNames()[static_cast<std::size_t>(level)] + " " +
               topology_->domains()[static_cast<std::size_t>(domain)].name +
               (&figure == &uplinkGbps(domain) ? "" : ", one flow each way");
      });
    }
  }
  return best;
}

Prediction CostModel::predict(const std::vector<int>& hosts, Pattern pattern,
                              std::uint64_t bytes) const {
  const std::vector<int> ordered = ringOrder(hosts);
  if (ordered.size() < 2) return Prediction{0, 0, 0, "a single host: no network traffic"};
  switch (pattern) {
    case Pattern::kRing:
      return ring(ordered, bytes);
    case Pattern::kTree:
      return tree(ordered, bytes);
    case Pattern::kAllToAll:
      return allToAll(ordered, bytes);
  }
  return {};
}

Prediction CostModel::slowestEdge(const std::vector<std::pair<int, int>>& edges, double* latency,
                                  bool duplex) const {
  Prediction p{0, 0, 1e300, ""};
  *latency = 0;
  for (const auto& [a, b] : edges) {
    std::string limit;
    int level = -1;
    const double gbps = pathGbps(a, b, &limit, &level, duplex);
    if (gbps < p.bottleneckGbps) {
      p.bottleneckGbps = gbps;
      p.bottleneck = limit;
      p.bottleneckLevel = level;
    }
    *latency = std::max(*latency, latencyUs(topology_->sharedLevels(a, b)));
  }
  return p;
}

Prediction CostModel::ring(const std::vector<int>& ordered, std::uint64_t bytes) const {
  const double n = static_cast<double>(ordered.size());
  std::vector<std::pair<int, int>> edges;
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    edges.emplace_back(ordered[i], ordered[(i + 1) % ordered.size()]);
  }
  double latency = 0;
  Prediction p = slowestEdge(edges, &latency, true);
  const double factor = 2.0 * (n - 1) / n;
  p.timeUs =
      2.0 * (n - 1) * latency + factor * transferUs(static_cast<double>(bytes), p.bottleneckGbps);
  p.busbwGbps = static_cast<double>(bytes) / (p.timeUs * 1e3) * factor;
  return p;
}

Prediction CostModel::tree(const std::vector<int>& ordered, std::uint64_t bytes) const {
  const std::size_t n = ordered.size();
  std::vector<std::pair<int, int>> edges;  // parent-child pairs of the heap-ordered tree
  for (std::size_t child = 1; child < n; ++child)
    edges.emplace_back(ordered[(child - 1) / 2], ordered[child]);
  double latency = 0;
  Prediction p = slowestEdge(edges, &latency, true);
  const double depth = std::ceil(std::log2(static_cast<double>(n)));
  const double streams = n > 2 ? 4.0 : 2.0;
  p.timeUs =
      2.0 * depth * latency + streams * transferUs(static_cast<double>(bytes), p.bottleneckGbps);
  p.busbwGbps = static_cast<double>(bytes) / (p.timeUs * 1e3) * 2.0 * (n - 1) / n;
  return p;
}

Prediction CostModel::allToAll(const std::vector<int>& ordered, std::uint64_t bytes) const {
  const double n = static_cast<double>(ordered.size());
  const auto& hosts = topology_->hosts();
  const auto& domains = topology_->domains();
  Prediction p{0, 0, 1e300, ""};
  double worstUs = 0;
  for (int host : ordered) {
    const double us = transferUs((n - 1) / n * static_cast<double>(bytes), hostGbps(host).value);
    if (us > worstUs) {
      worstUs = us;
      p.bottleneckGbps = hostGbps(host).value;
      p.bottleneck =
          describe("link of host " + hosts[static_cast<std::size_t>(host)].name, hostGbps(host));
    }
  }
  std::vector<int> members(domains.size(), 0);
  for (int host : ordered) {
    for (int domain : hosts[static_cast<std::size_t>(host)].domains)
      ++members[static_cast<std::size_t>(domain)];
  }
  for (std::size_t d = 0; d < domains.size(); ++d) {
    const double k = members[d];
    if (k == 0 || k == n) continue;
    const bool measured = aggregateUplinkGbps_[d].value > 0;
    const double aggregate =
        measured ? aggregateUplinkGbps_[d].value
                 : uplinkGbps_[d].value * static_cast<double>(domains[d].hosts.size()) /
                       oversubscription_[static_cast<std::size_t>(domains[d].level)];
    const double us = transferUs(k * (n - k) / n * static_cast<double>(bytes), aggregate);
    if (us > worstUs) {
      worstUs = us;
      p.bottleneckGbps = aggregate;
      p.bottleneckLevel = domains[d].level;
      p.bottleneck = describe(
          "bisection at " + topology_->levelNames()[static_cast<std::size_t>(domains[d].level)] +
              " " + domains[d].name,
          Figure{aggregate, measured ? aggregateUplinkGbps_[d].source : uplinkGbps_[d].source});
    }
  }
  const int lowest = [&] {
    int shared = topology_->levelCount();
    for (int host : ordered)
      shared = std::min(shared, topology_->sharedLevels(ordered.front(), host));
    return shared;
  }();
  p.timeUs = (n - 1) * latencyUs(lowest) + worstUs;
  p.busbwGbps = static_cast<double>(bytes) / (p.timeUs * 1e3) * (n - 1) / n;
  return p;
}

}  // namespace topoplan
