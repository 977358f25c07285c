// export slurm-apply: one idempotent bash script that applies a cluster's measured structure and
// findings to a live Slurm cluster (the one SLURM_CONF, else scontrol's default, names):
//   1. topoplan's topology.conf (slurmTree) beside slurm.conf, the one there kept once as
//      topology.conf.before-topoplan; scontrol reconfigure when it changed;
//   2. each degraded host drained with "topoplan: degraded: EVIDENCE" as the reason, or (weight)
//      given a node weight above every other node's, so that select/cons_tres takes it last
//      (weights decide before topology there; a reconfigure resets them to slurm.conf's);
//   3. hosts an earlier run drained that are no longer degraded: resumed.
// It checks before changing anything that TopologyPlugin is topology/tree (a reconfigure cannot
// change the plugin) and that Slurm knows every node; prints each change. `--undo` restores the
// previous topology.conf, reconfigures and resumes the nodes topoplan drained.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "placement/inference.h"
#include "placement/topology.h"

namespace topoplan {

struct SlurmApplyOptions {
  bool weight = false;         // degraded hosts: a node weight instead of a drain
  std::string comment;         // '#' lines at the top (what it was made from)
  std::string planLine;        // the plan's sbatch line, shown as a comment; may be empty
  std::vector<Finding> notes;  // findings no Slurm setting expresses (degraded uplinks, links)
};

Result<std::string> slurmApplyScript(const Topology& topology,
                                     const std::vector<Finding>& degradedHosts,
                                     const SlurmApplyOptions& options);

}  // namespace topoplan
