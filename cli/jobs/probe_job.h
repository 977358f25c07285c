// The probe job over any Comm (MPI ranks, or threads in tests): every host's inventory, then
// each requested path's pairs (mpi, tcp per interface, ib), the contention rounds and the GPU
// copies, into the records the cluster document and the table are views of.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/comm.h"
#include "core/fabric_structure.h"
#include "probes/link_probe.h"
#include "report/documents/cluster_document.h"

namespace topoplan {

struct ProbeOptions {
  std::vector<std::string> paths = {"mpi", "tcp"};
  std::vector<std::string> tcpIfaces;  // one tcp path per interface; empty: the default route's
  double timeout = 0;                  // 0: from the size budget
  std::string sizes = "4K,64K,1M,4M";
  int iters = 10;
  int minIters = 3;
  double sizeBudget = 0.5;
  int window = 8;
  bool serial = false;
  double bwSuspect = 0.7;
  double latSuspect = 2.0;
  std::string pairs = "auto";  // auto, all, sampled
  std::string declared;
  int sampleK = 2;
  bool keepSweeps = false;
  bool contention = false;
  std::string fabric;  // probe --fabric: a topoplan.fabric/v1 file to probe instead of MPI ranks
  std::string out;
};

// What the options resolve to (the probe command's planProbe, before MPI starts).
struct ProbePlan {
  ProbeConfig config;
  SuspectRule rule;
  std::vector<std::string> paths;
  std::vector<std::string> tcpIfaces;  // empty: the default route's
  std::optional<FabricStructure> declared;
  double timeoutSeconds = 0;
};
// Clusters up to this many hosts are probed pair by pair unless --pairs says otherwise; larger
// ones with a --declared structure are sampled.
inline constexpr int kAllPairsUpToHosts = 128;

// Runs on every rank of `comm` (rank 0 reports progress on stderr). `run` must hold the ranks'
// hosts and local ranks; it gets the inventories, GPU copies, waived paths, structure and
// contention figures, and `probed` each path's links, also those of a path that failed.
Status runProbeJob(Comm& comm, const ProbePlan& plan, const ProbeOptions& options, ProbeRun& run,
                   std::vector<ProbedPath>& probed);

// The probe's settings, as the document records them.
nlohmann::ordered_json probeConfigJson(const ProbePlan& plan, const ProbeOptions& options);

// The console view: the links (up to 400; a summary beyond), slow hosts, waived paths, and the
// GPU copies.
std::string probeTable(const ProbeRun& run, const std::vector<ProbedPath>& probed);

}  // namespace topoplan
