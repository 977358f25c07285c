#include "placement/slurm_topology.h"
#include "core/lines.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "placement/hostlist.h"

namespace topoplan {
namespace {

struct Entry {
  std::string name;
  std::vector<std::string> nodes;
  std::vector<std::string> switches;
  int line = 0;
};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool looksLikeSlurmTopology(std::string_view text) {
  const std::string head = lower(text.substr(0, 4096));
  return head.find("switchname=") != std::string::npos ||
         head.find("blockname=") != std::string::npos;
}

Result<Topology> parseSlurmTopology(std::string_view text, const std::string& source,
                                    int gpusPerHost) {
  if (text.find('\0') != std::string_view::npos)
    return Error(source + ": binary data, expected topology.conf text");
  std::vector<Entry> switches, blocks;
  std::map<std::string, std::size_t> switchIndex;
  // Names listed in the whole file (nodes and switches): far above any Slurm cluster, low enough
  // that a hostlist typo such as n[1-99999999] is an error rather than minutes of work.
  constexpr std::size_t kMostNames = 200'000;
  std::size_t listed = 0;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    line = line.substr(0, line.find('#'));
    const std::string at = source + ":" + std::to_string(lineNumber);
    Entry entry;
    entry.line = lineNumber;
    bool isBlock = false;
    bool any = false;
    for (const std::string_view token : words(line)) {
      const std::size_t equals = token.find('=');
      if (equals == std::string_view::npos || equals == 0 || equals + 1 == token.size()) {
        return Error(at + ": '" + std::string(token) + "': expected KEY=VALUE");
      }
      const std::string key = lower(token.substr(0, equals));
      const std::string_view value = token.substr(equals + 1);
      if (!any && key != "switchname" && key != "blockname" && key != "blocksizes") {
        return Error(at + ": '" + std::string(token) +
                     "': expected SwitchName=, BlockName= or BlockSizes= first");
      }
      any = true;
      if (key == "switchname" || key == "blockname") {
        entry.name = value;
        isBlock = key == "blockname";
      } else if (key == "nodes" || key == "switches") {
        auto names = expandHostlist(value, kMostNames - listed);
        if (!names) return names.error().context(at);
        listed += names->size();
        (key == "nodes" ? entry.nodes : entry.switches) = std::move(*names);
      } else if (key != "linkspeed" && key != "blocksizes") {
        return Error(at + ": unknown key '" + std::string(token.substr(0, equals)) +
                     "', expected Nodes, Switches or LinkSpeed");
      }
    }
    if (!any || entry.name.empty()) return okStatus();
    if (isBlock) {
      if (!entry.switches.empty()) return Error(at + ": a block cannot list Switches");
      blocks.push_back(std::move(entry));
    } else {
      if (!switchIndex.emplace(entry.name, switches.size()).second) {
        return Error(at + ": switch '" + entry.name + "' defined twice");
      }
      switches.push_back(std::move(entry));
    }
    return okStatus();
  }));
  if (!blocks.empty() && !switches.empty()) {
    return Error(source + ": both SwitchName and BlockName lines, expected one topology plugin");
  }
  std::vector<HostPath> rows;
  std::set<std::string> seen;
  auto addHost = [&](const std::string& host, std::vector<std::string> labels, int line) -> Status {
    if (!seen.insert(host).second) {
      return Error(source + ":" + std::to_string(line) + ": node '" + host +
                   "' listed under two switches or blocks, expected once");
    }
    rows.push_back({host, std::move(labels), gpusPerHost, line});
    return okStatus();
  };
  if (!blocks.empty()) {
    for (const Entry& block : blocks) {
      for (const std::string& node : block.nodes)
        TOPOPLAN_TRY(addHost(node, {block.name}, block.line));
    }
    return Topology::fromPaths({"block"}, rows, source);
  }
  if (switches.empty()) return Error(source + ": no SwitchName or BlockName lines");

  std::vector<int> parent(switches.size(), -1);
  for (std::size_t i = 0; i < switches.size(); ++i) {
    for (const std::string& child : switches[i].switches) {
      auto it = switchIndex.find(child);
      const std::string at = source + ":" + std::to_string(switches[i].line);
      if (it == switchIndex.end())
        return Error(at + ": unknown switch '" + child + "' in Switches");
      if (parent[it->second] >= 0 && parent[it->second] != static_cast<int>(i)) {
        return Error(at + ": switch '" + child + "' has two parents ('" +
                     switches[static_cast<std::size_t>(parent[it->second])].name + "' and '" +
                     switches[i].name + "'), expected a tree");
      }
      parent[it->second] = static_cast<int>(i);
    }
  }
  // Path from the root to each switch; a cycle never reaches a root.
  std::vector<std::vector<std::string>> paths(switches.size());
  std::size_t depth = 0;
  for (std::size_t i = 0; i < switches.size(); ++i) {
    std::vector<std::string> path;
    for (int s = static_cast<int>(i); s >= 0; s = parent[static_cast<std::size_t>(s)]) {
      path.push_back(switches[static_cast<std::size_t>(s)].name);
      if (path.size() > switches.size()) {
        return Error(source + ":" + std::to_string(switches[i].line) +
                     ": cycle in the switch graph through '" + switches[i].name +
                     "', expected a tree");
      }
    }
    std::reverse(path.begin(), path.end());
    depth = std::max(depth, path.size());
    paths[i] = std::move(path);
  }
  for (std::size_t i = 0; i < switches.size(); ++i) {
    std::vector<std::string> labels = paths[i];
    while (labels.size() < depth) labels.push_back(labels.back());
    for (const std::string& node : switches[i].nodes)
      TOPOPLAN_TRY(addHost(node, labels, switches[i].line));
  }
  std::vector<std::string> levels;
  for (std::size_t l = 1; l <= depth; ++l) levels.push_back("tier" + std::to_string(l));
  return Topology::fromPaths(levels, rows, source);
}

}  // namespace topoplan
