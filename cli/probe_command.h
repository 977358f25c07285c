// `topoplan probe`: the pairwise link probe under mpirun, written as topoplan.cluster/v1.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/mpi_session.h"
#include "probes/pair_probe.h"

namespace topoplan {

struct ProbeOptions {
  std::string paths = "mpi,tcp";
  std::string tcpIface;
  double timeout = 0;  // 0: defaultTimeoutSeconds of what one pair moves
  std::string sizes = "4K,64K,1M,4M";
  int iters = 10;
  int window = 8;
  bool serial = false;
  double bwSuspect = 0.93;
  double latSuspect = 2.1;
  std::string out;
};

CLI::App* addProbeCommand(CLI::App& app, ProbeOptions& options);

// What the options resolve to before MPI starts; errors are bad input.
struct ProbePlan {
  ProbeConfig config;
  std::vector<std::string> paths;
  double timeoutSeconds = 0;
};
Result<ProbePlan> planProbe(const ProbeOptions& options);

Result<int> runProbe(const ProbePlan& plan, const ProbeOptions& options, MpiSession& session,
                     const std::vector<std::string>& argv);

}  // namespace topoplan
