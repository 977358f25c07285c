// FabricStructure: what the probe knows of a fabric's levels: each host's domain at each level,
// coarsest first. It comes from a declared topology (--declared) or from the structure inferred
// from the probe's first pass; the probe uses it to compare a pair with the pairs of its own
// class and to keep two pairs of a retest round off one uplink.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace topoplan {

struct FabricStructure {
  std::string source;  // where it came from, in words ("declared in FILE", "inferred ...")
  std::vector<std::string> levelNames;
  std::map<std::string, std::vector<std::string>> hostDomains;  // host -> domain path per level

  // Levels two hosts share (0: none, or a host the structure does not know).
  int sharedLevels(const std::string& a, const std::string& b) const;
  // The uplinks a path between two hosts of different domains crosses, named "LEVEL:DOMAIN": the
  // domain of each host at every level below the ones they share.
  std::vector<std::string> uplinks(const std::string& a, const std::string& b) const;
};

}  // namespace topoplan
