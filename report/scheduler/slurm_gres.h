// gres.conf for Slurm from the measured (or declared) inside of the nodes: per GPU its device
// file, the cores of its NUMA node (Cores=, Slurm's core indices) and its connections to every
// other GPU (Links=), what AutoDetect=nvml would write, but from the measured inventory. Slurm's
// select plugin uses Links to give a job GPUs that are better connected, and Cores to bind tasks
// near their GPUs (--gres-flags=enforce-binding).
//
// Links: per GPU by NVML index, -1 for the GPU itself, 0 for no NVLink, else the pair's figure in
// NVLink lanes of 25 GB/s (rounded, at least 1) as NVML counts links; a PCIe path is 0. File=
// is /dev/nvidiaN with N the NVML index (the device minor follows the PCI order on the hosts
// NVIDIA's driver numbers). Hosts with the same lines share one NodeName= hostlist.
#pragma once

#include <string>

#include "placement/node/gang_gpus.h"
#include "placement/topology.h"

namespace topoplan {

constexpr double kNvlinkLaneGbps = 25;

// Errors: no host of the topology has an inventory.
Result<std::string> slurmGres(const Topology& topology, const NodeInventories& nodes,
                              const std::string& comment);

}  // namespace topoplan
