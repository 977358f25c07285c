// `topoplan probe`: the pairwise link probe under mpirun, written as topoplan.cluster/v1; the job
// itself is cli/jobs/probe_job.h.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/jobs/mpi_session.h"
#include "cli/jobs/probe_job.h"

namespace topoplan {

CLI::App* addProbeCommand(CLI::App& app, ProbeOptions& options);

// What the options resolve to before MPI starts; errors are bad input.
Result<ProbePlan> planProbe(const ProbeOptions& options);

Result<int> runProbe(const ProbePlan& plan, const ProbeOptions& options, MpiSession& session,
                     const std::vector<std::string>& argv);

// probe --fabric: the same passes against a modeled fabric (probes/modeled), one rank per host,
// without MPI; the document is marked modeled, with the probe's modeled wall time. Errors (the
// fabric file) are bad input.
Result<int> runModeledProbe(const ProbePlan& plan, const ProbeOptions& options,
                            const std::vector<std::string>& argv);

}  // namespace topoplan
