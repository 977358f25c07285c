// Topology: hosts in a hierarchy of domains (e.g. spine -> leaf), levels coarsest first.
//
// A domain is named by its path, "G6/P10/S14", not by its bare label: the same switch label
// under two parents is two domains (as Kueue identifies topology domains).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct HostPath {
  std::string host;
  std::vector<std::string> labels;  // one per level, coarsest first
  int gpus = 0;
  int line = 0;  // where it came from, for error messages (0: unknown)
};

struct Domain {
  std::string name;  // path of labels joined by '/'
  std::string label;
  int level = 0;
  int parent = -1;            // domain index, -1 at level 0
  std::vector<int> children;  // domain indices
  std::vector<int> hosts;     // every host below, in host order
};

struct Host {
  std::string name;
  int gpus = 0;
  std::vector<int> domains;  // domain index per level
};

class Topology {
 public:
  // Builds from one path per host. `source` names the input in errors (duplicate hosts,
  // wrong number of labels, empty labels or names).
  static Result<Topology> fromPaths(std::vector<std::string> levelNames,
                                    const std::vector<HostPath>& rows, const std::string& source);

  const std::vector<std::string>& levelNames() const { return levelNames_; }
  int levelCount() const { return static_cast<int>(levelNames_.size()); }
  const std::vector<Host>& hosts() const { return hosts_; }
  const std::vector<Domain>& domains() const { return domains_; }
  std::vector<int> domainsAt(int level) const;
  std::vector<int> topDomains() const { return domainsAt(0); }

  // The names of `hosts` (indices), in order; every host's when called without arguments.
  std::vector<std::string> hostNames(const std::vector<int>& hosts) const;
  std::vector<std::string> hostNames() const;

  // -1 when there is no such host.
  int hostIndex(const std::string& name) const;
  // Number of levels two hosts share (0: none; levelCount(): same finest domain).
  int sharedLevels(int a, int b) const;
  // Total GPUs.
  long long gpuCount() const;

 private:
  std::vector<std::string> levelNames_;
  std::vector<Host> hosts_;
  std::vector<Domain> domains_;
  std::map<std::string, int> hostByName_;
};

}  // namespace topoplan
