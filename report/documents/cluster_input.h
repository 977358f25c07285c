// A cluster for `topo`, `place`, `export` and `verify`: a probe document (measured), a topology
// document, a hierarchy CSV, a SLURM topology.conf, an ibnetdiscover dump, or synthetic:SPEC,
// recognised from the content unless `inputFormat` names it; or, with `declared`, a declared
// topology whose figures come from a probe document (declared_check.h says what is compared).
//
// A probe document may hold several paths (mpi, tcp over each interface, ib): the structure and
// the cost model's figures come from the first path it lists; the others are compared with it
// (path_overhead.h).
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "placement/cost_model.h"
#include "placement/inference.h"
#include "placement/topology.h"
#include "report/documents/cluster_document.h"
#include "report/documents/kept_calibration.h"
#include "report/documents/topology_document.h"

namespace topoplan {

struct ClusterOptions {
  std::string inputFormat = "auto";  // auto, json, csv, slurm, ibnetdiscover
  int gpusPerHost = 8;               // for inputs that do not say
  std::string hostGbps;              // declared host link, e.g. "50"
  std::string levelGbps;             // declared uplinks per level, e.g. "ASW=50,PSW=25,DSW=12.5"
  std::string declared;              // a declared topology to check the measurements against
  bool keptCalibration = true;       // apply the calibration kept beside a probe document
};

struct LoadedCluster {
  std::string source;
  std::string format;
  std::unique_ptr<Topology> topology;
  std::unique_ptr<CostModel> cost;
  TopologyFindings findings;
  std::set<int> degradedHosts;
  std::vector<PairMeasurement> measured;    // the first path's pairs (empty: declared only)
  std::vector<UplinkAggregate> aggregates;  // the probe's contention pattern, when it ran
  std::vector<RingFigure> rings;
  ClusterHostViews hostViews;  // a probe document's inventories and GPU copies
  // The calibration kept beside the document (kept_calibration.h), and what it scaled (empty
  // when stale or absent).
  std::optional<KeptCalibration> calibration;
  std::vector<std::string> calibrationFigures;
};

// Errors are bad input (exit 2) and name the file, line or field.
Result<LoadedCluster> loadCluster(const std::string& spec, const ClusterOptions& options);

// "# calibrated (kept in FILE on T, from VERIFY): ..." lines for a calibration kept beside the
// cluster and applied, or one line saying a stale one was ignored; empty when there is none.
std::string calibrationNote(const LoadedCluster& cluster);

// The index of the level called `name` (-1 for an empty name); the error names `option` and the
// cluster's levels.
Result<int> levelIndex(const Topology& topology, const std::string& name, const char* option);

}  // namespace topoplan
