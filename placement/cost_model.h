// CostModel: predicted time and bus bandwidth of a collective on a set of hosts.
//
// Assumptions (stated once, used everywhere):
// - Each host has one network bandwidth (hostGbps) and each domain one uplink bandwidth for a
//   single flow leaving it (uplinkGbps); a path between two hosts runs at the minimum of their
//   host links and the uplinks of every domain it leaves. Figures are `measured`, `declared` or
//   `default` (declared topologies without figures: every link 50 GB/s, i.e. 400 Gb/s).
// - Latency depends only on how high the path climbs: base + 2 x hop latency per level left, or
//   a measured latency per number of levels shared.
// - Ring AllReduce runs in hierarchical order (hosts grouped by domain, level by level), so each
//   domain the gang leaves carries exactly one ring edge each way; no ring order can do better,
//   because any ring leaving a domain crosses its uplink at least once each way.
//   time = 2(n-1) x max edge latency + 2(n-1)/n x bytes / bottleneck bandwidth. A ring host
//   sends and receives at once, and each uplink it crosses carries one flow each way: an edge
//   runs at the duplex figures where the probe measured them (a host's rate in its finest
//   domain's ring, an uplink's rate with one flow each way), else at the one-way figures.
// - Tree AllReduce (pipelined binary tree, reduce then broadcast): an inner host receives two
//   streams and sends two: time = 2 ceil(log2 n) x latency + 4 x bytes / bottleneck (2 for n=2);
//   its edges carry both directions too, at the duplex figures.
// - All-to-all is bounded by bisection: a domain holding k of the n hosts sends k(n-k)/n x bytes
//   through an aggregate uplink (measured by the probe's contention pattern, or else its hosts x
//   its uplink / oversubscription); each host sends
//   (n-1)/n x bytes through its own link. time = (n-1) x latency + the largest of these.
// - busbw follows nccl-tests: AllReduce algbw x 2(n-1)/n, all-to-all algbw x (n-1)/n.
// - No other traffic shares the links; predictions are for an idle fabric.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "placement/gang.h"
#include "placement/topology.h"

namespace topoplan {

struct Figure {
  double value = 0;
  std::string source = "default";  // "measured", "declared", "calibrated" or "default"
  // Measured figures: the spread (p10, p90) of the pairs the median came from, and how many.
  double p10 = 0, p90 = 0;
  std::size_t pairs = 0;
};

struct Prediction {
  double timeUs = 0;
  double busbwGbps = 0;
  double bottleneckGbps = 0;
  std::string bottleneck;    // what limits it, in words
  int bottleneckLevel = -1;  // -1: a host's link; else the level of the uplink (or bisection)
};

class CostModel {
 public:
  static constexpr double kDefaultGbps = 50.0;  // 400 Gb/s InfiniBand NDR / Ethernet
  static constexpr double kBaseLatencyUs = 2.0;
  static constexpr double kHopLatencyUs = 0.5;

  explicit CostModel(const Topology& topology);

  void setHostGbps(int host, double gbps, const std::string& source);
  void setUplinkGbps(int domain, double gbps, const std::string& source);
  void setOversubscription(int level, double ratio);
  void setLatency(double baseUs, double hopUs, const std::string& source);
  void setHostFigure(int host, Figure figure);
  void setUplinkFigure(int domain, Figure figure);
  // What a domain's uplink carries for all its hosts at once (the probe's contention pattern);
  // all-to-all uses it where known instead of hosts x uplink / oversubscription.
  void setAggregateUplink(int domain, Figure figure);
  // What each host of a finest domain sends when all of them send to the next while receiving
  // (the probe's ring round): a ring's edges inside that domain run at most at it.
  void setRingGbps(int domain, Figure figure);
  // A host's send rate while it receives (its finest domain's ring), and an uplink's rate with
  // one flow each way (a duplex pair across it): the figures rings and trees run at.
  void setHostDuplex(int host, Figure figure);
  void setUplinkDuplex(int domain, Figure figure);
  const Figure& hostDuplexGbps(int host) const {
    return hostDuplexGbps_[static_cast<std::size_t>(host)];
  }
  const Figure& uplinkDuplexGbps(int domain) const {
    return uplinkDuplexGbps_[static_cast<std::size_t>(domain)];
  }
  const Figure& ringGbps(int domain) const { return ringGbps_[static_cast<std::size_t>(domain)]; }
  const Figure& aggregateUplinkGbps(int domain) const {
    return aggregateUplinkGbps_[static_cast<std::size_t>(domain)];
  }
  // The latency of a pair sharing s levels, for every s from 0 to the levels (overrides the
  // base + hop form).
  void setLatencyByShared(std::vector<double> latencyUs, const std::string& source);

  const Figure& hostGbps(int host) const { return hostGbps_[static_cast<std::size_t>(host)]; }
  const Figure& uplinkGbps(int domain) const {
    return uplinkGbps_[static_cast<std::size_t>(domain)];
  }
  double latencyUs(int sharedLevels) const;
  const std::string& latencySource() const { return latencySource_; }

  // Hosts sorted into hierarchical ring order.
  std::vector<int> ringOrder(std::vector<int> hosts) const;
  // Bandwidth of the path between two hosts, and what limits it.
  // `level` (may be null): -1 when a host's link limits it, else the level of the limiting uplink.
  // `duplex`: both directions busy (rings, trees): the duplex figures where measured.
  double pathGbps(int a, int b, std::string* limit = nullptr, int* level = nullptr,
                  bool duplex = false) const;
  Prediction predict(const std::vector<int>& hosts, Pattern pattern, std::uint64_t bytes) const;

 private:
  // The slowest of the given host pairs (bottleneck figure and reason) and their highest latency.
  Prediction slowestEdge(const std::vector<std::pair<int, int>>& edges, double* latencyUs,
                         bool duplex) const;
  // A host's or an uplink's figure for a path with both directions busy, or one way.
  const Figure& hostFigure(int host, bool duplex) const;
  const Figure& uplinkFigure(int domain, bool duplex) const;
  Prediction ring(const std::vector<int>& ordered, std::uint64_t bytes) const;
  Prediction tree(const std::vector<int>& ordered, std::uint64_t bytes) const;
  Prediction allToAll(const std::vector<int>& ordered, std::uint64_t bytes) const;

  const Topology* topology_;
  std::vector<Figure> hostGbps_;
  std::vector<Figure> uplinkGbps_;
  std::vector<Figure> aggregateUplinkGbps_;  // value 0: unknown
  std::vector<Figure> ringGbps_;             // value 0: unknown
  std::vector<Figure> hostDuplexGbps_;       // value 0: unknown
  std::vector<Figure> uplinkDuplexGbps_;     // value 0: unknown
  std::vector<double> oversubscription_;     // per level
  std::vector<double> latencyByShared_;
  double baseLatencyUs_ = kBaseLatencyUs;
  double hopLatencyUs_ = kHopLatencyUs;
  std::string latencySource_ = "default";
};

}  // namespace topoplan
