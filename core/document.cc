#include "core/document.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <unordered_set>

#include "topoplan/config.h"

namespace topoplan {

std::string schemaName(std::string_view kind, int version) {
  return "topoplan." + std::string(kind) + "/v" + std::to_string(version);
}

std::string utcTimestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string joinCommandLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    if (plain) {
      line += arg;
      continue;
    }
    line += '\'';
    for (char c : arg) {
      if (c == '\'') {
        line += "'\\''";
      } else {
        line += c;
      }
    }
    line += '\'';
  }
  return line;
}

std::vector<std::string> uniqueHosts(const std::vector<std::string>& rankHosts) {
  std::vector<std::string> hosts;
  std::unordered_set<std::string> seen;
  for (const std::string& host : rankHosts)
    if (seen.insert(host).second) hosts.push_back(host);
  return hosts;
}

nlohmann::ordered_json makeDocumentHeader(std::string_view kind, int version,
                                          const std::vector<std::string>& argv,
                                          const std::vector<std::string>& hosts) {
  return {
      {"schema", schemaName(kind, version)},
      {"tool", {{"name", "topoplan"}, {"version", TOPOPLAN_VERSION}}},
      {"command_line", joinCommandLine(argv)},
      {"hosts", hosts},
      {"created_utc", utcTimestamp()},
  };
}

void addCompleteness(nlohmann::ordered_json& document, const std::optional<Interruption>& ended,
                     const std::vector<std::string>& rankHosts) {
  document["incomplete"] = ended.has_value();
  if (!ended) return;
  document["incomplete_reason"] = ended->reason;
  nlohmann::ordered_json lost = nlohmann::ordered_json::array();
  for (int rank : ended->lostRanks) {
    const bool known = rank >= 0 && static_cast<std::size_t>(rank) < rankHosts.size();
    lost.push_back(
        {{"rank", rank}, {"host", known ? rankHosts[static_cast<std::size_t>(rank)] : ""}});
  }
  document["lost_ranks"] = lost;
}

std::string incompleteReason(const nlohmann::ordered_json& document) {
  const auto flag = document.find("incomplete");
  if (flag == document.end() || !flag->is_boolean() || !flag->get<bool>()) return "";
  const auto reason = document.find("incomplete_reason");
  if (reason != document.end() && reason->is_string() && !reason->get<std::string>().empty()) {
    return reason->get<std::string>();
  }
  return "no reason recorded";
}

}  // namespace topoplan
