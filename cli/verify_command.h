// `topoplan verify`: a plan's candidates measured, beside their predictions (under mpirun).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/jobs/mpi_session.h"
#include "cli/jobs/verify_job.h"

namespace topoplan {

CLI::App* addVerifyCommand(CLI::App& app, VerifyOptions& options);

// What the options resolve to before MPI starts; errors are bad input (exit 2).
Result<VerifyPlan> planVerify(const VerifyOptions& options);

// Exit code: 0 passed, 1 the gang measured slower than another candidate (or its prediction
// was off beyond --tolerance), 3 (an error) when the job failed or nothing could be measured.
Result<int> runVerify(const VerifyPlan& plan, const VerifyOptions& options, MpiSession& session,
                      const std::vector<std::string>& argv);

}  // namespace topoplan
