#include "report/scheduler/slurm_export.h"

#include <cstdio>
#include <map>
#include <numeric>
#include <set>

#include "placement/hostlist.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/slurm_block_order.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

std::vector<std::string> switchNames(const Topology& topology) {
  std::vector<std::string> paths;
  for (const Domain& domain : topology.domains()) paths.push_back(domain.name);
  return rewriteNames(paths, slurmNameRule());
}

int blockLevelOf(const Topology& topology, int requested) {
  return requested < 0 ? topology.levelCount() - 1 : requested;
}

// Blocks: (name, hosts) per domain of the block level in alignedBlockOrder(), empty blocks named
// "empty-N" (never a domain's name); the whole cluster when there are no levels.
std::vector<std::pair<std::string, std::vector<int>>> blocks(const Topology& topology, int level) {
  std::vector<std::pair<std::string, std::vector<int>>> out;
  if (topology.levelCount() == 0) {
    std::vector<int> all(topology.hosts().size());
    std::iota(all.begin(), all.end(), 0);
    out.emplace_back("all", all);
    return out;
  }
  const std::vector<std::string> names = switchNames(topology);
  const std::vector<int> order = alignedBlockOrder(topology, level);
  std::set<std::string> taken(names.begin(), names.end());
  int empty = 0;
  for (int d : order) {
    if (d >= 0) {
      out.emplace_back(names[static_cast<std::size_t>(d)],
                       topology.domains()[static_cast<std::size_t>(d)].hosts);
      continue;
    }
    std::string name;
    do name = "empty-" + std::to_string(++empty);
    while (taken.count(name) > 0);
    out.emplace_back(name, std::vector<int>{});
  }
  return out;
}

std::vector<long long> blockSizes(const Topology& topology,
                                  const std::vector<std::pair<std::string, std::vector<int>>>& bs) {
  std::size_t base = topology.hosts().size();
  for (const auto& block : bs)
    if (!block.second.empty()) base = std::min(base, block.second.size());
  std::vector<long long> sizes;
  for (std::size_t size = std::max<std::size_t>(base, 1); size <= topology.hosts().size();
       size *= 2) {
    sizes.push_back(static_cast<long long>(size));
  }
  return sizes;
}

}  // namespace

Result<std::string> slurmTree(const Topology& topology, const SlurmOptions& options) {
  TOPOPLAN_TRY(checkSlurmHostNames(topology.hostNames()));
  const std::vector<std::string> names = switchNames(topology);
  struct Switch {
    std::string name, nodes, children;
  };
  std::vector<Switch> switches;
  if (topology.levelCount() == 0) {
    switches.push_back({"all", compressHostlist(topology.hostNames()), ""});
  }
  for (int level = topology.levelCount() - 1; level >= 0; --level) {
    for (int d : topology.domainsAt(level)) {
      const Domain& domain = topology.domains()[static_cast<std::size_t>(d)];
      Switch s{names[static_cast<std::size_t>(d)], "", ""};
      if (level == topology.levelCount() - 1) {
        s.nodes = compressHostlist(topology.hostNames(domain.hosts));
      } else {
        std::vector<std::string> children;
        for (int child : domain.children)
          children.push_back(names[static_cast<std::size_t>(child)]);
        s.children = compressHostlist(children);
      }
      switches.push_back(s);
    }
  }
  // One root: Slurm's tree plugin places a job only under one switch that reaches all its nodes,
  // so without a root no job could span two top-level domains.
  if (topology.levelCount() > 0 && topology.domainsAt(0).size() > 1) {
    std::set<std::string> taken(names.begin(), names.end());
    std::string root = "root";
    for (int i = 1; taken.count(root) > 0; ++i) root = "root-" + std::to_string(i);
    std::vector<std::string> children;
    for (int d : topology.domainsAt(0)) children.push_back(names[static_cast<std::size_t>(d)]);
    switches.push_back({root, "", compressHostlist(children)});
  }
  if (options.yaml) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Switch& s : switches) {
      nlohmann::ordered_json item = {{"switch", s.name}};
      if (!s.children.empty()) item["children"] = s.children;
      if (!s.nodes.empty()) item["nodes"] = s.nodes;
      list.push_back(item);
    }
    nlohmann::ordered_json doc = nlohmann::ordered_json::array();
    doc.push_back(
        {{"topology", "topoplan"}, {"cluster_default", true}, {"tree", {{"switches", list}}}});
    return yamlDocuments({doc}, options.comment);
  }
  std::string text = hashComment(options.comment);
  for (const Switch& s : switches) {
    text += "SwitchName=" + s.name + (s.nodes.empty() ? "" : " Nodes=" + s.nodes) +
            (s.children.empty() ? "" : " Switches=" + s.children) + "\n";
  }
  return text;
}

Result<std::string> slurmBlock(const Topology& topology, const SlurmOptions& options) {
  TOPOPLAN_TRY(checkSlurmHostNames(topology.hostNames()));
  if (options.blockLevel >= topology.levelCount() && topology.levelCount() > 0)
    return Error("block level " + std::to_string(options.blockLevel) + " is beyond the " +
                 std::to_string(topology.levelCount()) + " levels of the cluster");
  const auto bs = blocks(topology, blockLevelOf(topology, options.blockLevel));
  const std::vector<long long> sizes = blockSizes(topology, bs);
  std::size_t empty = 0;
  for (const auto& block : bs) empty += block.second.empty() ? 1 : 0;
  std::string comment = options.comment;
  if (empty > 0)
    comment += "\n" + std::to_string(empty) +
               " empty blocks keep every domain on one aligned run of 2^k blocks: Slurm "
               "aggregates blocks by their position in this file";
  if (options.yaml) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& [name, hosts] : bs)
      list.push_back(hosts.empty() ? nlohmann::ordered_json{{"block", name}}
                                   : nlohmann::ordered_json{
                                         {"block", name},
                                         {"nodes", compressHostlist(topology.hostNames(hosts))}});
    nlohmann::ordered_json doc = nlohmann::ordered_json::array();
    doc.push_back({{"topology", "topoplan"},
                   {"cluster_default", true},
                   {"block", {{"block_sizes", sizes}, {"blocks", list}}}});
    return yamlDocuments({doc}, comment);
  }
  std::string text = hashComment(comment);
  for (const auto& [name, hosts] : bs)
    text += "BlockName=" + name +
            (hosts.empty() ? "" : " Nodes=" + compressHostlist(topology.hostNames(hosts))) + "\n";
  std::string list;
  for (long long size : sizes) list += (list.empty() ? "" : ",") + std::to_string(size);
  return text + "BlockSizes=" + list + "\n";
}

std::string sbatchLine(const Topology& topology, const std::vector<int>& gang, bool block,
                       int blockLevel, int switchWaitSeconds) {
  std::string line = "sbatch -N " + std::to_string(gang.size()) +
                     " --nodelist=" + compressHostlist(topology.hostNames(gang));
  if (topology.levelCount() == 0) return line;
  const int level = block ? blockLevelOf(topology, blockLevel) : topology.levelCount() - 1;
  std::map<int, long long> perDomain;
  for (int host : gang)
    ++perDomain[topology.hosts()[static_cast<std::size_t>(host)].domains[level]];
  if (!block) {
    char wait[32];
    std::snprintf(wait, sizeof wait, "%d:%02d", switchWaitSeconds / 60, switchWaitSeconds % 60);
    return line + " --switches=" + std::to_string(perDomain.size()) + "@" + wait;
  }
  long long segment = 0;
  for (const auto& [domain, count] : perDomain) segment = std::gcd(segment, count);
  return line + " --segment=" + std::to_string(segment);
}

std::string sbatchNote(bool block) {
  if (block) return "--segment needs Slurm 24.05 or later with TopologyPlugin=topology/block";
  return "Slurm waits at most max_switch_wait (SchedulerParameters, 300 s unless set) for the "
         "switch count, whatever --switches=K@TIME asks; then it runs the job on any switches";
}

}  // namespace topoplan
