// `topoplan probe`: the pairwise link probe under mpirun, written as topoplan.cluster/v1.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/mpi_session.h"
#include "core/fabric_structure.h"
#include "probes/link_probe.h"

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
  std::string out;
};

CLI::App* addProbeCommand(CLI::App& app, ProbeOptions& options);

// What the options resolve to before MPI starts; errors are bad input.
struct ProbePlan {
  ProbeConfig config;
  SuspectRule rule;
  std::vector<std::string> paths;
  std::vector<std::string> tcpIfaces;  // empty: the default route's
  std::optional<FabricStructure> declared;
  double timeoutSeconds = 0;
};
Result<ProbePlan> planProbe(const ProbeOptions& options);

// Clusters up to this many hosts are probed pair by pair unless --pairs says otherwise; larger
// ones with a --declared structure are sampled.
inline constexpr int kAllPairsUpToHosts = 128;

Result<int> runProbe(const ProbePlan& plan, const ProbeOptions& options, MpiSession& session,
                     const std::vector<std::string>& argv);

}  // namespace topoplan
