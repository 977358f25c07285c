// `topoplan topo` and `topoplan place`: the cluster's inferred structure, and gang placement.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/cluster_loader.h"

namespace topoplan {

struct TopoOptions {
  std::string cluster;
  ClusterOptions load;
  std::string format = "text";  // text, json, dot
  std::string out;              // write here (atomically) instead of stdout
};

struct PlaceOptions {
  std::string cluster;
  ClusterOptions load;
  std::vector<std::string> free;  // place's CSV or JSON, or what the scheduler prints
  std::string gang;
  std::string nodeInventory;  // inside the hosts: every host's whose own is unknown
  std::string pattern = "ring";
  std::string bytes = "256M";
  std::string requireLevel;
  std::string preferLevel;
  bool allowDegraded = false;
  int top = 3;
  unsigned seed = 1;
  std::string json;
  std::vector<std::string> calibrate;   // verify documents
  bool keepCalibration = false;         // keep it beside the cluster document
  std::vector<std::string> candidates;  // NAME=HOSTLIST, predicted beside the baselines
};

CLI::App* addTopoCommand(CLI::App& app, TopoOptions& options);
CLI::App* addPlaceCommand(CLI::App& app, PlaceOptions& options);

// Each returns the exit code; errors are bad input (exit 2).
Result<int> runTopo(const TopoOptions& options, const std::vector<std::string>& argv);
Result<int> runPlace(const PlaceOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
