// The topoplan.topology/v1 document: levels coarsest first, each with its domains (path names)
// and their hosts; degraded hosts and links with their evidence.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "placement/cost_model.h"
#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

struct TopologyFindings {
  std::string source;  // the input it was made from
  std::string origin;  // "measured", "declared", or "declared + measured"
  std::vector<Finding> degradedHosts;
  std::vector<Finding> degradedLinks;
  std::vector<std::pair<std::string, std::string>> degradedLinkHosts;
  std::vector<Finding> unplacedHosts;    // degraded hosts inference could not place
  std::vector<Finding> degradedUplinks;  // domains whose uplink measures below their siblings'
  std::vector<Finding> disagreements;    // latency against bandwidth
  std::vector<Finding> declared;         // a declared topology against the measurements
  std::vector<LevelEvidence> levels;     // how each level was found (measured)
  std::string pathOverhead;              // the overhead of paths measured over the same pairs
};

// With `cost` (may be null), each domain's uplink and each host's link figure with its spread
// and source, and the latency per number of levels shared.
nlohmann::ordered_json topologyDocument(const Topology& topology, const TopologyFindings& findings,
                                        const std::vector<std::string>& argv,
                                        const CostModel* cost = nullptr);

// Reads a topology/v1 document back (hosts get `gpusPerHost` unless the document lists them).
Result<Topology> readTopologyDocument(const nlohmann::ordered_json& document,
                                      const std::string& source, int gpusPerHost,
                                      std::vector<std::string>* degradedHosts);

// Text (a summary per level, with how it was found and its figures) and Graphviz dot renderings.
std::string topologyText(const Topology& topology, const TopologyFindings& findings,
                         const CostModel* cost = nullptr);
std::string topologyDot(const Topology& topology, const TopologyFindings& findings);

}  // namespace topoplan
