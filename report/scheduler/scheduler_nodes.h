// The nodes of a cluster as its scheduler sees them (which accept work, how many GPUs are free),
// read from what the schedulers print, and turned into place's free state.
//
// Formats, recognised from the content:
//   scontrol show node [-d] [--oneliner]  "NodeName=n1 ... State=MIXED+DRAIN ...
//   CfgTRES=...,gres/gpu=8
//                                    AllocTRES=...,gres/gpu=2" (or Gres=gpu:8 GresUsed=gpu:2 with
//                                    -d where accounting does not track GPUs); lines per node or
//                                    one.
//   scontrol show node --json        {"nodes": [{"name", "state" (a word, or a list of them),
//                                    "state_flags", "tres", "tres_used", "gres", "gres_used"}]}
//   sinfo -N [-l] [-O ...]           a table whose header names NODELIST (or HOSTNAMES) and STATE,
//                                    optionally GRES and GRES_USED (sinfo -N -O
//                                    NodeList,StateLong,Gres,GresUsed); a node in several
//                                    partitions is one node.
//   kubectl get nodes,pods -A -o json  (or the nodes and the pods in two files) items of kind Node
//                                    (status.allocatable nvidia.com/gpu) and Pod (the GPUs that
//                                    pods bound to a node and not finished request); with
//                                    resourceslices,resourceclaims also the DRA GPUs
//                                    (gpu.nvidia.com) and which are allocated, by PCI bus id.
//
// Which nodes accept work: Slurm IDLE and MIXED nodes, also when powered down or powering up
// (CLOUD, POWERED_DOWN, POWERING_UP: Slurm resumes them), and not when drained or draining, down,
// allocated, failing, not responding (*), in maintenance, reserved, planned, rebooting or
// completing; any other flag counts against. Kubernetes nodes that are Ready, not cordoned
// (spec.unschedulable) and without a node.kubernetes.io/* NoSchedule or NoExecute taint (other
// taints are listed: the workload may tolerate them).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "placement/topology.h"

namespace topoplan {

struct SchedulerNode {
  std::string name;
  std::string state;             // as the scheduler words it, e.g. "MIXED+DRAIN", "Ready,cordoned"
  bool acceptsWork = false;      // by the rules above
  int gpus = -1;                 // GPUs the scheduler knows of; -1 when it does not say
  int gpusUsed = 0;              // allocated to jobs or requested by running pods
  bool partlyAllocated = false;  // Slurm MIXED: jobs hold part of it
  // The busy GPUs' indices where the scheduler names them (Slurm's GresUsed with IDX, from
  // scontrol show node -d or sinfo -O GresUsed); nullopt where it does not.
  std::optional<std::vector<int>> busyGpus;
  // The busy GPUs' PCI bus ids where the scheduler names them that way (Kubernetes DRA: the
  // allocated claims' devices, by their slices' resource.kubernetes.io/pciBusID).
  std::optional<std::vector<std::string>> busyGpuBusIds;
  std::vector<std::string> notes;  // e.g. taints the workload must tolerate
};

struct SchedulerNodes {
  std::string format;  // "scontrol", "scontrol --json", "sinfo", "kubectl"
  std::string sources;
  std::vector<SchedulerNode> nodes;  // by name
};

// Whether `text` is one of the formats above (not place's own CSV or {"hosts": ...}).
bool looksLikeSchedulerOutput(const std::string& text);

// Reads the files (one for Slurm; one or two for kubectl: the nodes and the pods in either or
// both). Errors name the file, line or field and what was expected.
Result<SchedulerNodes> readSchedulerNodes(const std::vector<std::string>& paths);

// The same on texts already read: {source, text} per file.
struct SchedulerText {
  std::string source, text;
};
Result<SchedulerNodes> parseSchedulerNodes(const std::vector<SchedulerText>& texts);

// As place's free state: each cluster host's free GPUs (a host unknown to the scheduler, or that
// accepts no work, is in `unavailable`); whole hosts without GPUs are free when they accept work
// and run nothing. `summary` gets one line per kind of node, e.g. "3 drained or down".
struct SchedulerFree {
  std::map<std::string, int> freeGpus;
  std::set<std::string> unavailable;
  std::map<std::string, std::vector<int>> busyGpus;               // where the scheduler names them
  std::map<std::string, std::vector<std::string>> busyGpuBusIds;  // by PCI bus id (DRA)
  std::vector<std::string> summary;
};
SchedulerFree schedulerFree(const SchedulerNodes& nodes, const Topology& topology);

}  // namespace topoplan
