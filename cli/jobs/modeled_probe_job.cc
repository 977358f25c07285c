#include "cli/jobs/modeled_probe_job.h"

#include "cli/jobs/probe_passes.h"
#include "probes/modeled/modeled_rounds.h"

namespace topoplan {

Status runModeledProbeJob(const ModeledFabric& fabric, const ProbePlan& plan,
                          const ProbeOptions& options, ProbeRun& run,
                          std::vector<ProbedPath>& probed, bool root) {
  run.modeled = true;
  run.rankHosts.clear();
  for (const ModeledFabric::Host& host : fabric.hosts) run.rankHosts.push_back(host.name);
  run.localRanks.assign(run.rankHosts.size(), 0);
  ModeledRounds model(fabric);
  std::optional<FabricStructure> discovered;
  auto firstPass = planFirstPass(plan, options, model.measurer(), run, discovered, root);
  if (!firstPass) return firstPass.error();
  const LinkProbeSetup setup =
      probeSetup(plan, options, "modeled probe", std::move(*firstPass), discovered, run);
  probed = {{"modeled", "", "modeled", "modeled", {}}};
  Status measured = runLinkProbe(setup, model.measurer(), probed.front().result);
  run.modeledWallSeconds = model.seconds();
  return measured;
}

}  // namespace topoplan
