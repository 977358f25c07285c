#include "placement/ibnetdiscover.h"
#include "core/lines.h"

#include <algorithm>
#include <map>
#include <set>

namespace topoplan {
namespace {

struct Node {
  bool isSwitch = false;
  std::string description;
  std::set<std::string> peers;  // guids
  int line = 0;
};

// The text between the first pair of double quotes after `from`.
std::string quoted(std::string_view line, std::size_t from = 0) {
  const std::size_t open = line.find('"', from);
  if (open == std::string_view::npos) return {};
  const std::size_t close = line.find('"', open + 1);
  if (close == std::string_view::npos) return {};
  return std::string(line.substr(open + 1, close - open - 1));
}

std::string switchName(const std::string& description) {
  std::string name = description;
  if (name.rfind("MF0;", 0) == 0) name = name.substr(4);
  return name.substr(0, name.find(':'));
}

std::string groupName(const std::set<std::string>& members) {
  std::string name = *members.begin();
  if (members.size() > 1) name += "+" + std::to_string(members.size() - 1);
  return name;
}

}  // namespace

bool looksLikeIbnetdiscover(std::string_view text) {
  const std::string_view head = text.substr(0, 8192);
  return head.find("\nSwitch\t") != std::string_view::npos ||
         head.find("\nCa\t") != std::string_view::npos ||
         head.find("# Topology file: generated") != std::string_view::npos;
}

Result<Topology> parseIbnetdiscover(std::string_view text, const std::string& source,
                                    int gpusPerHost) {
  if (text.find('\0') != std::string_view::npos)
    return Error(source + ": binary data, expected ibnetdiscover text");
  std::map<std::string, Node> nodes;  // by guid ("S-..." or "H-...")
  std::string current;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    const std::string at = source + ":" + std::to_string(lineNumber);
    if (line.rfind("Switch", 0) == 0 || line.rfind("Ca", 0) == 0) {
      current = quoted(line);
      const std::size_t hash = line.find('#');
      if (current.size() < 3 || hash == std::string_view::npos) {
        return Error(at + ": expected Switch/Ca N \"GUID\" # \"description\"");
      }
      Node& node = nodes[current];
      node.isSwitch = line.front() == 'S';
      node.description = quoted(line, hash);
      node.line = lineNumber;
    } else if (!line.empty() && line.front() == '[') {
      if (current.empty()) return Error(at + ": port line before any Switch or Ca section");
      const std::size_t close = line.find(']');
      if (close == std::string_view::npos || close == 1 ||
          line.substr(1, close - 1).find_first_not_of("0123456789") != std::string_view::npos) {
        return Error(at + ": '" +
                     std::string(line.substr(0, std::min<std::size_t>(line.size(), 12))) +
                     "...': expected a port number in brackets, as [12]");
      }
      // The peer is the first quoted "S-..." or "H-..." GUID on the line.
      std::size_t from = 0;
      std::string peer;
      while (true) {
        peer = quoted(line, from);
        if (peer.empty() || peer.rfind("S-", 0) == 0 || peer.rfind("H-", 0) == 0) break;
        from = line.find('"', line.find('"', from) + 1) + 1;
      }
      if (peer.empty()) return Error(at + ": port line without a peer \"S-...\" or \"H-...\"");
      nodes[current].peers.insert(peer);
    }
    return okStatus();
  }));
  std::map<std::string, std::set<std::string>> leavesOfHost;  // host -> leaf names
  std::map<std::string, int> hostLine;
  int switches = 0;
  for (const auto& [guid, node] : nodes) {
    if (node.line == 0) continue;  // a peer never described itself: it has no section
    if (node.isSwitch) {
      ++switches;
      continue;
    }
    if (node.description.find("Aggregation Node") != std::string::npos) continue;
    const std::string host = node.description.substr(0, node.description.find(' '));
    if (host.empty())
      return Error(source + ":" + std::to_string(node.line) + ": adapter without a description");
    bool linked = false;
    for (const std::string& peer : node.peers) {
      auto it = nodes.find(peer);
      if (it != nodes.end() && it->second.isSwitch && it->second.line > 0) {
        leavesOfHost[host].insert(switchName(it->second.description));
        linked = true;
      }
    }
    if (!linked) {
      return Error(source + ":" + std::to_string(node.line) + ": adapter '" + node.description +
                   "' has no link to a described switch, expected a complete dump");
    }
    hostLine.emplace(host, node.line);
  }
  if (switches == 0) return Error(source + ": no Switch sections, expected an ibnetdiscover dump");
  if (leavesOfHost.empty()) return Error(source + ": no hosts attached to any switch");

  std::map<std::string, std::set<std::string>> uppersOfLeaf;  // leaf name -> switches above
  std::set<std::string> leafNames;
  for (const auto& [host, leaves] : leavesOfHost) leafNames.insert(leaves.begin(), leaves.end());
  for (const auto& [guid, node] : nodes) {
    if (!node.isSwitch || node.line == 0 || !leafNames.count(switchName(node.description)))
      continue;
    for (const std::string& peer : node.peers) {
      auto it = nodes.find(peer);
      if (it == nodes.end() || !it->second.isSwitch) continue;
      const std::string name = switchName(it->second.description);
      if (!leafNames.count(name)) uppersOfLeaf[switchName(node.description)].insert(name);
    }
  }
  std::vector<HostPath> rows;
  for (const auto& [host, leaves] : leavesOfHost) {
    std::set<std::string> uppers;
    for (const std::string& leaf : leaves) {
      const auto& above = uppersOfLeaf[leaf];
      uppers.insert(above.begin(), above.end());
    }
    const std::string spineGroup = uppers.empty() ? "none" : groupName(uppers);
    rows.push_back({host, {spineGroup, groupName(leaves)}, gpusPerHost, hostLine[host]});
  }
  return Topology::fromPaths({"spine-group", "leaf-group"}, rows, source);
}

}  // namespace topoplan
