// The probe job against a modeled fabric (probe --fabric): the passes of probe_passes.h over
// ModeledRounds (probes/modeled), one rank per host, no MPI.
#pragma once

#include <vector>

#include "cli/jobs/probe_job.h"
#include "core/modeled_fabric.h"

namespace topoplan {

// Fills `run` (its hosts, structure, discovery, modeled wall time) and `probed` (one path,
// "modeled"). `root`: progress on stderr.
Status runModeledProbeJob(const ModeledFabric& fabric, const ProbePlan& plan,
                          const ProbeOptions& options, ProbeRun& run,
                          std::vector<ProbedPath>& probed, bool root);

}  // namespace topoplan
