// Loading a cluster for `topo`, `place` and `export`: a probe document (measured), a topology
// document, a hierarchy CSV, a SLURM topology.conf, an ibnetdiscover dump, or synthetic:SPEC.
// The format is recognised from the content unless --input-format names it.
#pragma once

#include <CLI/CLI.hpp>

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

// The options above, on a command that takes a cluster.
void addClusterOptions(CLI::App* command, ClusterOptions& options);

// The index of the level called `name` (-1 for an empty name); the error names `option` and the
// cluster's levels.
Result<int> levelIndex(const Topology& topology, const std::string& name, const char* option);

}  // namespace topoplan
