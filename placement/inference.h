// Structure inference from measured host pairs: levels from evidence, not from a fixed ratio.
//
// 1. Degraded hosts. A host whose best link measures below `degradedRatio` x the median host's
//    best link is degraded: its own link is slow (a host behind a degraded uplink still has its
//    fast pairs inside its domain). Degraded hosts are left out of everything below until
//    step 4.
// 2. Classes. The healthy pairs' bandwidths, and separately their latencies (the alpha of the
//    size sweep where the probe kept one), are split into classes separated beyond their noise
//    (class_split.h: effect size and significance, from the pairs' spread and sample counts), so
//    noise within a class never makes a class, however wide.
// 3. Levels. Each bandwidth class boundary t gives a partition: the connected components of the
//    hosts over the pairs at or above t (single linkage, so the lower figures that concurrent
//    pairs measure on a shared uplink do not break an island); each latency boundary the same
//    over pairs at or below it. Partitions that are the whole cluster or every host alone add
//    nothing. The levels are the partitions that nest, coarsest first: bandwidth's first, then
//    latency's where they fit between (where bandwidth is flat, as on a non-blocking fabric,
//    latency alone gives the levels); a latency partition that cuts across the bandwidth levels
//    is reported as a disagreement. A bandwidth partition with no latency class to back it that,
//    within each domain of the next coarser partition (bandwidth's or latency's, or the whole
//    cluster), only sets single domains of the next finer one apart from one rest, is a degraded
//    uplink of those domains, not a level (on a non-blocking fabric too, where latency alone
//    gives the levels). Where no bandwidth class boundary gives a partition (the pairs across
//    domains spread too widely to be one class: shares of an uplink measured by concurrent pairs
//    on a loaded machine), single linkage still may: the partition at the widest gap between the
//    figures at which it joins hosts is a candidate when that gap is at least minSeparation x
//    the noise of the pairs inside its domains and of the pairs across that had their uplinks to
//    themselves, and every domain holds two hosts or more (contention lowers only pairs across:
//    the fastest of them is about the uplink alone).
// 4. Degraded hosts are placed by latency only: with the healthy host they reach fastest, when
//    that latency falls in the class of pairs inside one finest domain and those nearest hosts
//    agree on the domain; else they are placed nowhere (a domain of their own), with the reason.
// 5. Degraded links: a pair of healthy hosts below `degradedRatio` x the median of its class
//    (the pairs sharing as many levels).
// Figures for the cost model (applyMeasuredFigures): a host's link is the median of its pairs
// within its finest domain, an uplink the median of the pairs leaving its domain within its
// parent (those that had their uplinks to themselves when measured, where there are any: a pair
// that shared one measured a share of it), both without degraded hosts and links, with their
// spread and pair counts; a degraded
// host's link is the median of all its pairs. Latency is the median per number of levels shared.
// So a healthy domain's figures do not change when a degraded host is added to it.
#pragma once

#include <string>
#include <vector>

#include "placement/alpha_beta.h"
#include "placement/class_split.h"
#include "placement/cost_model.h"
#include "placement/topology.h"

namespace topoplan {

struct PairMeasurement {
  std::string a, b;  // host names
  double gbps = 0;   // median of the samples
  double latencyUs = 0;
  // The samples' spread (p10, p90; 0 where unknown) and count.
  double gbpsP10 = 0, gbpsP90 = 0;
  double latencyP10 = 0, latencyP90 = 0;
  std::uint64_t samples = 0;
  // How many pairs shared the busiest uplink it crossed while it was measured (1: none; 0:
  // unknown). A pair that shared one measured a share of it: not the uplink's figure.
  int contention = 0;
  // The probe's size sweep, when it kept one: then the latency is the alpha-beta fit's intercept
  // (see withSweepFit).
  std::vector<SweepPoint> sweep;
  std::string probe;        // "mpi", "tcp", "ib" ("" where unknown)
  std::string iface;        // the interface of a tcp path
  std::string measuredUtc;  // when (the document's time; merged documents keep each one's)
};

// `pair` with its latency replaced by the intercept (alpha) of the alpha-beta fit of its sweep,
// when it has one that can be fitted (two or more sizes, time growing with size: a loaded
// machine can hide the slope). The bandwidth stays the streamed measurement: on a shared
// machine the fitted slope (beta) of a ping-pong sweep is far noisier than a window of
// back-to-back messages, so it is not used to overrule it.
PairMeasurement withSweepFit(PairMeasurement pair);

struct Finding {
  std::string subject;  // a host, "a <-> b", a domain or a level
  std::string evidence;
};

struct InferenceOptions {
  double degradedRatio = 0.5;
  int gpusPerHost = 8;
  SplitRule split;
};

// How one level was found.
struct LevelEvidence {
  std::string signals;            // "bandwidth", "latency" or "bandwidth and latency"
  double bandwidthThreshold = 0;  // GB/s; 0 when bandwidth does not give it
  double latencyThreshold = 0;    // us; 0 when latency does not give it
};

struct InferredCluster {
  Topology topology;
  std::vector<Finding> degradedHosts;
  std::vector<Finding> unplacedHosts;  // degraded hosts that latency could not place
  std::vector<Finding> degradedLinks;
  std::vector<std::pair<std::string, std::string>> degradedLinkHosts;
  std::vector<Finding> degradedUplinks;
  std::vector<Finding> disagreements;  // latency against bandwidth
  std::vector<LevelEvidence> levels;   // one per level, coarsest first
  ClassSplit bandwidthClasses, latencyClasses;
};

// Errors: no host, non-positive bandwidths, hosts with no measurement. One host is a cluster
// without levels (a single server's ranks).
Result<InferredCluster> inferCluster(const std::vector<std::string>& hosts,
                                     const std::vector<PairMeasurement>& pairs,
                                     const InferenceOptions& options, const std::string& source);

// Sets the cost model's figures from the measurements (see above). `degradedHosts` and
// `degradedLinks` (host name pairs) are left out of the healthy figures.
void applyMeasuredFigures(const Topology& topology, const std::vector<PairMeasurement>& pairs,
                          const std::vector<std::string>& degradedHosts,
                          const std::vector<std::pair<std::string, std::string>>& degradedLinks,
                          CostModel& cost);

}  // namespace topoplan
