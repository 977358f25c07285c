// Loading a cluster for `topo`, `place` and `export`: a probe document (measured), a topology
// document, a hierarchy CSV, a SLURM topology.conf, an ibnetdiscover dump, or synthetic:SPEC.
// The format is recognised from the content unless --input-format names it.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "placement/cost_model.h"
#include "placement/topology.h"
#include "report/topology_document.h"

namespace topoplan {

struct ClusterOptions {
  std::string inputFormat = "auto";  // auto, json, csv, slurm, ibnetdiscover
  int gpusPerHost = 8;               // for inputs that do not say
  std::string hostGbps;              // declared host link, e.g. "50"
  std::string levelGbps;             // declared uplinks per level, e.g. "ASW=50,PSW=25,DSW=12.5"
};

struct LoadedCluster {
  std::string source;
  std::string format;
  std::unique_ptr<Topology> topology;
  std::unique_ptr<CostModel> cost;
  TopologyFindings findings;
  std::set<int> degradedHosts;
};

// Errors are bad input (exit 2) and name the file, line or field.
Result<LoadedCluster> loadCluster(const std::string& spec, const ClusterOptions& options);

}  // namespace topoplan
