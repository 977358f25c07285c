// Structure inference from measured host-pair bandwidths.
//
// 1. Degraded hosts: a host whose best link is below `degradedRatio` x the median host's best
//    link is degraded (evidence: its best link against the median).
// 2. Islands: the healthy hosts' pair bandwidths, sorted, split wherever one is more than
//    `gapRatio` x the next (the classes a fabric's levels produce). For each split threshold the
//    islands are the connected components of the pairs at or above it (single linkage), so noise
//    within a class and the lower figures that concurrent pairs measure on a shared uplink do not
//    break an island; thresholds whose islands repeat a coarser or finer level's, or are the whole
//    cluster, add no level. Levels run coarsest first ("island-1" ...).
// 3. A degraded host joins the islands of the host it reaches fastest (its slow link caps every
//    pair alike, so among pairs within 20% of its best, the lowest latency decides).
// 4. Degraded links: a pair below `degradedRatio` x the median of its class (the pairs that
//    share the same islands), not explained by a degraded host.
// Pairs that carry a size sweep use its alpha-beta fit instead of their single figures.
// 5. Figures for the cost model: a host's link is the median of its pairs within its finest
//    island; a domain's uplink is the median of the pairs leaving it within its parent; latency
//    from the medians of the finest and coarsest classes. All marked `measured`.
#pragma once

#include <string>
#include <vector>

#include "placement/alpha_beta.h"
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
  std::string subject;  // a host, or "a <-> b"
  std::string evidence;
};

struct InferenceOptions {
  double gapRatio = 2.0;
  double degradedRatio = 0.5;
  int gpusPerHost = 8;
};

struct InferredCluster {
  Topology topology;
  std::vector<Finding> degradedHosts;
  std::vector<Finding> degradedLinks;
  std::vector<std::pair<std::string, std::string>> degradedLinkHosts;
  std::vector<double> thresholdsGbps;  // one per level, coarsest first
};

// Errors: fewer than two hosts, non-positive bandwidths, hosts with no measurement.
Result<InferredCluster> inferCluster(const std::vector<std::string>& hosts,
                                     const std::vector<PairMeasurement>& pairs,
                                     const InferenceOptions& options, const std::string& source);

// Sets the cost model's figures from the measurements (see 5. above).
void applyMeasuredFigures(const Topology& topology, const std::vector<PairMeasurement>& pairs,
                          CostModel& cost);

}  // namespace topoplan
