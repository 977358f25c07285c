#include "report/scheduler/slurm_gres.h"

#include <cmath>
#include <map>

#include "placement/hostlist.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

// One host's lines, without NodeName=.
std::vector<std::string> gpuLines(const NodeModel& model) {
  std::vector<std::string> lines;
  for (std::size_t a = 0; a < model.size(); ++a) {
    const NodeGpu& gpu = model.gpus[a];
    std::string line = "Name=gpu File=/dev/nvidia" + std::to_string(gpu.index);
    if (gpu.numa >= 0 && static_cast<std::size_t>(gpu.numa) < model.numaCores.size() &&
        !model.numaCores[static_cast<std::size_t>(gpu.numa)].empty())
      line += " Cores=" + model.numaCores[static_cast<std::size_t>(gpu.numa)];
    line += " Links=";
    for (std::size_t b = 0; b < model.size(); ++b) {
      int links = -1;
      if (a != b) {
        const GpuPath path = model.pairPath(a, b);
        links =
            path == GpuPath::kNvlink || path == GpuPath::kNvswitch
                ? std::max(1, static_cast<int>(std::lround(model.pairGbps(a, b) / kNvlinkLaneGbps)))
                : 0;
      }
      line += (b ? "," : "") + std::to_string(links);
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace

Result<std::string> slurmGres(const Topology& topology, const NodeInventories& nodes,
                              const std::string& comment) {
  std::map<std::vector<std::string>, std::vector<std::string>> hostsByLines;
  std::vector<std::string> unknown;
  bool coresUnknown = false;
  for (const Host& host : topology.hosts()) {
    const auto own = nodes.byHost.find(host.name);
    const NodeModel* model = own != nodes.byHost.end() ? &own->second
                             : nodes.fallback          ? &*nodes.fallback
                                                       : nullptr;
    if (!model) {
      unknown.push_back(host.name);
      continue;
    }
    const std::vector<std::string> lines = gpuLines(*model);
    for (const std::string& line : lines) coresUnknown |= line.find(" Cores=") == std::string::npos;
    hostsByLines[lines].push_back(host.name);
  }
  if (hostsByLines.empty())
    return Error(
        "slurm-gres: no host has an inventory: give --node-inventory (hwloc XML, NCCL "
        "topology or inventory JSON) or a probe document with inventories");
  std::string text = hashComment(
      comment +
      "\ngres.conf: per GPU its device file, the cores of its NUMA node and its NVLink\n"
      "connections to each GPU by index (-1 itself, 0 none, else lanes of 25 GB/s).\n"
      "slurm.conf: GresTypes=gpu and Gres=gpu:N on these NodeName lines; submit with\n"
      "--gres-flags=enforce-binding to keep tasks on the cores next to their GPUs.");
  if (coresUnknown)
    text +=
        "# Cores= is left out where the inventory names CPUs, not cores (NCCL topology "
        "files): Slurm then binds no cores to those GPUs\n";
  if (!unknown.empty()) text += "# no inventory (left out): " + compressHostlist(unknown) + "\n";
  text += "AutoDetect=off\n";
  for (const auto& [lines, hosts] : hostsByLines)
    for (const std::string& line : lines)
      text += "NodeName=" + compressHostlist(hosts) + " " + line + "\n";
  return text;
}

}  // namespace topoplan
