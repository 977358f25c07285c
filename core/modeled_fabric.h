// ModeledFabric (topoplan.fabric/v1, probe --fabric): hosts in a hierarchy of domains, what a
// pair of hosts measures by the number of levels they share, and planted faults. The probe's
// orchestration runs against it (probes/modeled/modeled_rounds.h) to be tested at thousands of
// hosts.
//
// A pair of hosts sharing s levels (leading domain names in common) measures pairs[s]'s bandwidth
// and latency; a slow host caps the bandwidth of every pair it is in, a slow uplink (a domain's
// path, "pod1/r3") that of every pair leaving that domain, a slow link that of its one pair.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace topoplan {

struct ModeledFabric {
  struct Host {
    std::string name;
    std::vector<std::string> domains;  // coarsest first; every host has as many
  };
  struct PairClass {
    double bandwidthGbps = 0;
    double latencyUs = 0;  // one way
  };
  std::vector<Host> hosts;
  std::vector<PairClass> pairs;  // index: the levels two hosts share (0 .. levels())
  double noisePct = 0;           // uniform, +-, on every sample
  std::uint64_t seed = 1;
  std::map<std::string, double> slowHosts;    // host -> its bandwidth (GB/s)
  std::map<std::string, double> slowUplinks;  // domain path -> the bandwidth of pairs leaving it
  std::map<std::pair<std::string, std::string>, double> slowLinks;  // (a, b), a < b

  int levels() const;
  int sharedLevels(std::size_t a, std::size_t b) const;
  // The path of host h's domain at `level` ("pod1/r3" for level 1).
  std::string domainPath(std::size_t h, int level) const;
  // What hosts a and b measure without noise.
  PairClass pairTruth(std::size_t a, std::size_t b) const;
};

}  // namespace topoplan
