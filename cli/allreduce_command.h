// `topoplan allreduce`: the AllReduce sweep under mpirun (options as nccl-tests names them).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/jobs/allreduce_job.h"
#include "cli/jobs/mpi_session.h"

namespace topoplan {

struct AllreduceOptions {
  std::string algos = "all";
  std::string minBytes = "8";
  std::string maxBytes = "128M";
  std::string stepBytes;
  double stepFactor = 2;
  int warmup = 5;
  int iters = 20;
  std::string types = "float";
  std::string ops = "sum";
  std::string chunk = "256K";
  bool check = false;
  bool onlyOutOfPlace = false;
  bool onlyInPlace = false;
  std::string json;
  double timeout = 0;  // 0: defaultTimeoutSeconds of the largest size
};

CLI::App* addAllreduceCommand(CLI::App& app, AllreduceOptions& options);

// The algorithm names this build knows, in the order `all` runs them.
const std::vector<std::string>& knownAllreduceAlgorithms();

// What the options resolve to, before MPI starts; errors are bad input (exit 2).
Result<AllreducePlan> planAllreduce(const AllreduceOptions& options);

// Runs the plan on the session's ranks: the exit code (0; 1 for wrong results; 3 when an
// algorithm named in --algo was waived, since nothing was measured of what was asked for), or an
// error that stopped the run (a runtime failure).
Result<int> runAllreduce(const AllreducePlan& plan, const AllreduceOptions& options,
                         MpiSession& session, const std::vector<std::string>& argv);

}  // namespace topoplan
