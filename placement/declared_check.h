// A declared topology checked against measurements: what platform teams want to know about the
// hierarchy they declared to their schedulers (topo/place/export --declared FILE MEASURED.json).
//
// Findings, each with its evidence:
//   mis-cabled or mislabelled host  a healthy host whose pairs with another finest domain measure
//       like pairs inside a domain (bandwidth at least `ratio` x, or, where bandwidth is flat,
//       latency at most 1 / `ratio` x) against its pairs with its declared domain;
//   degraded uplink  a domain whose uplink (the median of its pairs leaving it within its parent)
//       measures below `uplinkRatio` x the median of its siblings' uplinks;
//   not a boundary   a level whose pairs across its domains (within their parent) measure like the
//       pairs inside them: bandwidth classes (class_split.h) do not separate the two and their
//       medians are within `ratio` of each other (3 pairs each at least), so for bandwidth the
//       level is not real (latency may still separate them: said so);
//   unknown hosts    measured hosts the declared topology lacks, declared hosts never measured.
// Degraded hosts and links (from inference) are left out of every comparison.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "placement/class_split.h"
#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

struct DeclaredCheckOptions {
  double ratio = 1.5;
  double uplinkRatio = 0.7;
  SplitRule split;
};

struct DeclaredCheck {
  std::vector<Finding> findings;
  std::vector<std::string> misCabledHosts;  // left out of the declared domains' figures too
};

DeclaredCheck checkDeclared(const Topology& declared, const std::vector<std::string>& measuredHosts,
                            const std::vector<PairMeasurement>& pairs,
                            const std::set<std::string>& degradedHosts,
                            const std::vector<std::pair<std::string, std::string>>& degradedLinks,
                            const DeclaredCheckOptions& options = {});

}  // namespace topoplan
