#include "placement/gang.h"
#include "core/lines.h"

#include <charconv>

namespace topoplan {
namespace {

Result<int> parseCount(std::string_view text, int low, int high, const std::string& what) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    return Error(what + ": '" + std::string(text) + "': expected an integer from " +
                 std::to_string(low) + " to " + std::to_string(high));
  }
  return value;
}

}  // namespace

Result<GangRequest> parseGang(std::string_view text) {
  GangRequest request;
  const std::size_t x = text.find('x');
  auto hosts = parseCount(text.substr(0, x), 1, 1'000'000, "--gang hosts");
  if (!hosts) return hosts.error();
  request.hosts = *hosts;
  if (x != std::string_view::npos) {
    auto gpus = parseCount(text.substr(x + 1), 1, 1024, "--gang GPUs per host");
    if (!gpus) return gpus.error();
    request.gpusPerHost = *gpus;
  }
  return request;
}

Result<Pattern> parsePattern(std::string_view text) {
  if (text == "ring") return Pattern::kRing;
  if (text == "tree") return Pattern::kTree;
  if (text == "alltoall") return Pattern::kAllToAll;
  return Error("--pattern '" + std::string(text) + "': expected ring, tree or alltoall");
}

std::string_view name(Pattern pattern) {
  switch (pattern) {
    case Pattern::kRing:
      return "ring";
    case Pattern::kTree:
      return "tree";
    case Pattern::kAllToAll:
      return "alltoall";
  }
  return "?";
}

Result<FreeState> FreeState::fromMap(const Topology& topology,
                                     const std::map<std::string, int>& freeGpus,
                                     const std::string& source,
                                     const std::set<std::string>& unavailable) {
  FreeState state;
  for (const std::string& host : unavailable) {
    const int index = topology.hostIndex(host);
    if (index < 0) return Error(source + ": host '" + host + "' is not in the cluster");
    state.unavailable_.insert(index);
  }
  for (const auto& [host, free] : freeGpus) {
    const int index = topology.hostIndex(host);
    if (index < 0) return Error(source + ": host '" + host + "' is not in the cluster");
    const int gpus = topology.hosts()[static_cast<std::size_t>(index)].gpus;
    if (free < 0 || free > gpus) {
      return Error(source + ": host '" + host + "': " + std::to_string(free) +
                   " free GPUs, expected 0 to " + std::to_string(gpus));
    }
    state.free_[index] = free;
  }
  return state;
}

FreeState FreeState::dense(std::vector<int> freeGpus) {
  FreeState state;
  state.dense_ = std::move(freeGpus);
  return state;
}

int FreeState::freeGpus(const Topology& topology, int host) const {
  if (!dense_.empty()) return dense_[static_cast<std::size_t>(host)];
  auto it = free_.find(host);
  return it == free_.end() ? topology.hosts()[static_cast<std::size_t>(host)].gpus : it->second;
}

Result<std::map<std::string, int>> parseFreeCsv(std::string_view text, const std::string& source) {
  std::map<std::string, int> free;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    if (line.empty() || line.front() == '#') return okStatus();
    const std::size_t comma = line.find(',');
    const std::string at = source + ":" + std::to_string(lineNumber);
    if (comma == std::string_view::npos) return Error(at + ": expected host,free_gpus");
    const std::string host(line.substr(0, comma));
    if (lineNumber == 1 && host == "host") return okStatus();
    auto count = parseCount(line.substr(comma + 1), 0, 1024, at + ": free_gpus");
    if (!count) return count.error();
    if (!free.emplace(host, *count).second) return Error(at + ": duplicate host '" + host + "'");
    return okStatus();
  }));
  return free;
}

}  // namespace topoplan
