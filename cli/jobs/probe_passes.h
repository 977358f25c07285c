// The passes of the pairwise probe over any measurer (MPI ranks, or a modeled fabric): which
// pairs the first pass measures, and the structure the suspects are judged within.
//
// First pass: every pair (--pairs all, or auto up to kAllPairsUpToHosts hosts); the sampled pairs
// of the declared structure (--pairs sampled, or auto beyond with --declared); or two stages
// (--pairs discover, or auto beyond kAllPairsUpToHosts hosts without --declared; one rank per
// host): a discovery pass of the smallest size, a few samples a pair, between batches of centers
// and every host (a center's row shows its finest domain and the ones above; the next batch's
// centers are hosts no center's finest domain holds yet), whose inferred structure, when it has
// levels, gives the sampled pairs; where it finds none the probe says so and measures every pair.
// The suspects' structure: the declared one, else the discovered one, else what inference finds
// in the first pass.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/jobs/probe_job.h"
#include "probes/link_probe.h"

namespace topoplan {

// The first pass's rounds (on every rank the same); `run.discovery` and `discovered` are set when
// a discovery pass ran. `root` reports on stderr.
Result<std::vector<Round>> planFirstPass(const ProbePlan& plan, const ProbeOptions& options,
                                         const RoundMeasurer& measure, ProbeRun& run,
                                         std::optional<FabricStructure>& discovered, bool root);

// The probe's setup for one path: the plan's config under `label` ("mpi probe"), the first
// pass, the retest rule, the structure.
LinkProbeSetup probeSetup(const ProbePlan& plan, const ProbeOptions& options,
                          const std::string& label, std::vector<Round> firstPass,
                          const std::optional<FabricStructure>& discovered, ProbeRun& run);

}  // namespace topoplan
