// What a placement request asks for, and which GPUs are free.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "placement/topology.h"

namespace topoplan {

enum class Pattern { kRing, kTree, kAllToAll };

struct GangRequest {
  int hosts = 1;
  int gpusPerHost = 0;  // 0: whole hosts (every GPU of each host free)
  Pattern pattern = Pattern::kRing;
  std::uint64_t bytes = 256ULL << 20;  // message size the prediction is made for
  int requireLevel = -1;  // all hosts inside one domain of this level (-1: no requirement)
  int preferLevel = -1;   // best effort: inside one domain of this level when possible
  bool avoidDegraded = true;
  int top = 3;  // alternatives to return
};

// "N" or "NxG" (e.g. "16x8"); errors name --gang and what was expected.
Result<GangRequest> parseGang(std::string_view text);
Result<Pattern> parsePattern(std::string_view text);
std::string_view name(Pattern pattern);

// Free GPUs per host; hosts not listed are entirely free.
class FreeState {
 public:
  FreeState() = default;
  // Checks every named host exists and its free count lies in [0, gpus]. Hosts in `unavailable`
  // take no work at all (drained, down, cordoned, unknown to the scheduler), whatever their GPUs.
  static Result<FreeState> fromMap(const Topology& topology,
                                   const std::map<std::string, int>& freeGpus,
                                   const std::string& source,
                                   const std::set<std::string>& unavailable = {});
  // Every host's free GPUs at once (index = host), all available: a replay's own state.
  static FreeState dense(std::vector<int> freeGpus);
  int freeGpus(const Topology& topology, int host) const;
  bool available(int host) const { return !unavailable_.count(host); }

 private:
  std::map<int, int> free_;
  std::vector<int> dense_;  // when set, every host's count
  std::set<int> unavailable_;
};

// Parses the CSV form "host,free_gpus" (header optional).
Result<std::map<std::string, int>> parseFreeCsv(std::string_view text, const std::string& source);

}  // namespace topoplan
