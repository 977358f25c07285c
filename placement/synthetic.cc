#include "placement/synthetic.h"

#include <charconv>
#include <functional>

#include "core/data_type.h"

namespace topoplan {

Result<Topology> syntheticTopology(std::string_view spec) {
  const std::string source = "synthetic:" + std::string(spec);
  std::vector<std::pair<std::string, int>> levels;
  int hostsPerParent = 0;
  int gpus = 8;
  for (std::string_view item : splitList(spec, ',')) {
    const std::size_t equals = item.find_first_of("=:");
    if (equals == std::string_view::npos) {
      return Error(source + ": '" + std::string(item) + "': expected KEY=COUNT");
    }
    const std::string key(item.substr(0, equals));
    const std::string_view value = item.substr(equals + 1);
    int count = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
    const int limit = key == "gpu" ? 1024 : 100000;
    if (ec != std::errc() || end != value.data() + value.size() || count < (key == "gpu" ? 0 : 1) ||
        count > limit) {
      return Error(source + ": " + key + "=" + std::string(value) + ": expected a count from " +
                   (key == "gpu" ? "0" : "1") + " to " + std::to_string(limit));
    }
    if (key == "gpu") {
      gpus = count;
    } else if (key == "host") {
      hostsPerParent = count;
    } else if (hostsPerParent > 0) {
      return Error(source + ": '" + key + "' after host: expected levels before host");
    } else {
      levels.emplace_back(key, count);
    }
  }
  if (hostsPerParent == 0) return Error(source + ": expected host=COUNT");
  long long total = hostsPerParent;
  for (const auto& level : levels) total *= level.second;
  if (total > 1'000'000)
    return Error(source + ": " + std::to_string(total) + " hosts, expected at most 1000000");

  std::vector<std::string> levelNames;
  for (const auto& level : levels) levelNames.push_back(level.first);
  std::vector<HostPath> rows;
  std::vector<std::string> labels;
  const int width =
      std::to_string(total).size() < 4 ? 4 : static_cast<int>(std::to_string(total).size());
  std::function<void(std::size_t)> expand = [&](std::size_t level) {
    if (level == levels.size()) {
      for (int h = 0; h < hostsPerParent; ++h) {
        const std::string number = std::to_string(rows.size() + 1);
        std::string host(static_cast<std::size_t>(width) + 1 - number.size(), '0');
        host.front() = 'h';
        host += number;
        rows.push_back({std::move(host), labels, gpus, 0});
      }
      return;
    }
    for (int i = 1; i <= levels[level].second; ++i) {
      labels.push_back(levels[level].first + std::to_string(i));
      expand(level + 1);
      labels.pop_back();
    }
  };
  expand(0);
  return Topology::fromPaths(levelNames, rows, source);
}

}  // namespace topoplan
