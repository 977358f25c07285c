// `topoplan verify`: a plan's candidates measured, beside their predictions (under mpirun).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/jobs/mpi_session.h"
#include "report/plan_document.h"

namespace topoplan {

struct VerifyOptions {
  std::string plan;
  std::string algo = "ring";
  int warmup = 3;
  int iters = 10;
  double alpha = 0.05;
  double tolerance = -1;  // percent; negative: not checked
  double timeout = 0;     // 0: from the plan's bytes
  std::string json;
};

CLI::App* addVerifyCommand(CLI::App& app, VerifyOptions& options);

// One host set to measure: the candidates that share it measure it once.
struct VerifyCandidate {
  PlannedPlacement placement;
  std::string sameAs;  // an earlier candidate with the same hosts
};

// What the options resolve to before MPI starts; errors are bad input (exit 2).
struct VerifyPlan {
  PlanRecord plan;
  std::vector<VerifyCandidate> candidates;  // the gang, its alternatives, the baselines
  double timeoutSeconds = 0;
};
Result<VerifyPlan> planVerify(const VerifyOptions& options);

// Exit code: 0 passed, 1 the gang measured slower than another candidate (or its prediction
// was off beyond --tolerance), 3 (an error) when the job failed or nothing could be measured.
Result<int> runVerify(const VerifyPlan& plan, const VerifyOptions& options, MpiSession& session,
                      const std::vector<std::string>& argv);

}  // namespace topoplan
