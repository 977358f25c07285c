// The topoplan.topology/v1 document: levels coarsest first, each with its domains (path names)
// and their hosts; degraded hosts and links with their evidence.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

struct TopologyFindings {
  std::string source;  // the input it was made from
  std::string origin;  // "measured" or "declared"
  std::vector<Finding> degradedHosts;
  std::vector<Finding> degradedLinks;
  std::vector<std::pair<std::string, std::string>> degradedLinkHosts;
};

nlohmann::ordered_json topologyDocument(const Topology& topology, const TopologyFindings& findings,
                                        const std::vector<std::string>& argv);

// Reads a topology/v1 document back (hosts get `gpusPerHost` unless the document lists them).
Result<Topology> readTopologyDocument(const nlohmann::ordered_json& document,
                                      const std::string& source, int gpusPerHost,
                                      std::vector<std::string>* degradedHosts);

// Text (a summary per level) and Graphviz dot renderings.
std::string topologyText(const Topology& topology, const TopologyFindings& findings);
std::string topologyDot(const Topology& topology, const TopologyFindings& findings);

}  // namespace topoplan
