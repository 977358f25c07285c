#include "placement/topology.h"

#include <algorithm>

namespace topoplan {
namespace {

std::string where(const std::string& source, int line) {
  return line > 0 ? source + ":" + std::to_string(line) : source;
}

}  // namespace

Result<Topology> Topology::fromPaths(std::vector<std::string> levelNames,
                                     const std::vector<HostPath>& rows, const std::string& source) {
  Topology topology;
  topology.levelNames_ = std::move(levelNames);
  const std::size_t levels = topology.levelNames_.size();
  if (rows.empty()) return Error(source + ": no hosts, expected at least one");
  std::map<std::string, int> domainByName;
  for (const HostPath& row : rows) {
    const std::string at = where(source, row.line);
    if (row.host.empty()) return Error(at + ": empty host name, expected a name");
    if (row.labels.size() != levels) {
      return Error(at + ": host '" + row.host + "' has " + std::to_string(row.labels.size()) +
                   " levels, expected " + std::to_string(levels));
    }
    if (row.gpus < 0) return Error(at + ": host '" + row.host + "': negative GPU count");
    if (topology.hostByName_.count(row.host)) {
      return Error(at + ": duplicate host '" + row.host + "', expected each host once");
    }
    const int hostIndex = static_cast<int>(topology.hosts_.size());
    topology.hostByName_[row.host] = hostIndex;
    Host host{row.host, row.gpus, {}};
    std::string path;
    int parent = -1;
    for (std::size_t level = 0; level < levels; ++level) {
      const std::string& label = row.labels[level];
      if (label.empty()) {
        return Error(at + ": host '" + row.host + "': empty " + topology.levelNames_[level] +
                     ", expected a name");
      }
      path = path.empty() ? label : path + "/" + label;
      auto [it, inserted] = domainByName.emplace(path, static_cast<int>(topology.domains_.size()));
      if (inserted) {
        topology.domains_.push_back(Domain{path, label, static_cast<int>(level), parent, {}, {}});
        if (parent >= 0) topology.domains_[parent].children.push_back(it->second);
      }
      topology.domains_[it->second].hosts.push_back(hostIndex);
      host.domains.push_back(it->second);
      parent = it->second;
    }
    topology.hosts_.push_back(std::move(host));
  }
  return topology;
}

std::vector<int> Topology::domainsAt(int level) const {
  std::vector<int> result;
  for (std::size_t i = 0; i < domains_.size(); ++i) {
    if (domains_[i].level == level) result.push_back(static_cast<int>(i));
  }
  return result;
}

std::vector<std::string> Topology::hostNames(const std::vector<int>& hosts) const {
  std::vector<std::string> names;
  for (int host : hosts) names.push_back(hosts_[static_cast<std::size_t>(host)].name);
  return names;
}

std::vector<std::string> Topology::hostNames() const {
  std::vector<std::string> names;
  for (const Host& host : hosts_) names.push_back(host.name);
  return names;
}

int Topology::hostIndex(const std::string& name) const {
  auto it = hostByName_.find(name);
  return it == hostByName_.end() ? -1 : it->second;
}

int Topology::sharedLevels(int a, int b) const {
  const auto& da = hosts_[static_cast<std::size_t>(a)].domains;
  const auto& db = hosts_[static_cast<std::size_t>(b)].domains;
  int shared = 0;
  while (shared < levelCount() && da[shared] == db[shared]) ++shared;
  return shared;
}

long long Topology::gpuCount() const {
  long long total = 0;
  for (const Host& host : hosts_) total += host.gpus;
  return total;
}

}  // namespace topoplan
