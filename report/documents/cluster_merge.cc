#include "report/documents/cluster_merge.h"

#include <map>
#include <set>

#include "core/document.h"
#include "core/json_fields.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

std::string stringOr(const Json& object, const char* key, const std::string& fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// One input read: its document without links, and its links as merged rows.
struct ReadInput {
  Json head;
  std::vector<std::string> rows;
};

Result<ReadInput> readInput(const ClusterInput& input, std::size_t rankOffset) {
  // First pass: the header (the links are dropped as they stream by).
  auto head = parseJsonRows(input.text, input.source, "links",
                            [](const Json&, std::size_t) { return okStatus(); });
  if (!head) return head.error();
  if (!head->is_object()) return Error(input.source + ": expected an object with \"schema\"");
  std::string schema;
  TOPOPLAN_TRY(readField(*head, input.source, "schema", schema));
  if (schema != "topoplan.cluster/v1") {
    return Error(input.source + ".schema: '" + schema + "', expected 'topoplan.cluster/v1'");
  }
  if (const std::string reason = incompleteReason(*head); !reason.empty()) {
    return Error(input.source + ".incomplete: the probe ended before it measured every pair (" +
                 reason + "): expected complete probes to merge");
  }
  auto ranks = arrayField(*head, input.source, "ranks");
  if (!ranks) return ranks.error();
  auto hosts = arrayField(*head, input.source, "hosts");
  if (!hosts) return hosts.error();
  const std::uint64_t rankCount = (*ranks)->size();
  const std::string created = stringOr(*head, "created_utc", "");
  // Second pass: each link renumbered and dated.
  ReadInput read{std::move(*head), {}};
  auto parsed = parseJsonRows(
      input.text, input.source, "links", [&](const Json& row, std::size_t i) -> Status {
        const std::string where = input.source + ".links[" + std::to_string(i) + "]";
        if (!row.is_object()) return Status(Error(where + ": expected an object"));
        Json link = row;
        for (const char* end : {"a", "b"}) {
          std::uint64_t rank = 0;
          TOPOPLAN_TRY(readField(row, where, end, rank));
          if (rank >= rankCount) {
            return Status(Error(where + "." + end + ": rank " + std::to_string(rank) +
                                ", expected one of the input's " + std::to_string(rankCount) +
                                " ranks"));
          }
          link[end] = rank + rankOffset;
        }
        if (!link.contains("measured_utc")) link["measured_utc"] = created;
        read.rows.push_back(link.dump());
        return okStatus();
      });
  if (!parsed) return parsed.error();
  return read;
}

}  // namespace

Result<std::string> mergeClusterDocuments(const std::vector<ClusterInput>& inputs,
                                          const std::vector<std::string>& argv) {
  if (inputs.empty()) return Error("merge: expected at least one probe document");
  std::vector<ReadInput> read;
  std::size_t rankOffset = 0;
  for (const ClusterInput& input : inputs) {
    auto one = readInput(input, rankOffset);
    if (!one) return one.error();
    rankOffset += one->head["ranks"].size();
    read.push_back(std::move(*one));
  }
  // Hosts in order of first appearance; each one's inventory from the newest input with it.
  std::vector<std::string> hostOrder;
  std::map<std::string, std::pair<std::string, Json>> inventory;  // host -> (created, inventory)
  for (const ReadInput& one : read) {
    const std::string created = stringOr(one.head, "created_utc", "");
    for (const Json& host : one.head["hosts"]) {
      const std::string name = stringOr(host, "name", "");
      if (name.empty()) continue;
      auto [at, added] =
          inventory.try_emplace(name, created, host.value("inventory", Json::object()));
      if (added) hostOrder.push_back(name);
      if (!added && created > at->second.first)
        at->second = {created, host.value("inventory", Json::object())};
    }
  }
  Json doc = makeDocumentHeader("cluster", 1, argv, hostOrder);
  doc["hosts"] = Json::array();
  for (const std::string& host : hostOrder)
    doc["hosts"].push_back({{"name", host}, {"inventory", inventory[host].second}});
  doc["ranks"] = Json::array();
  doc["links"] = Json::array();
  doc["merged_from"] = Json::array();
  for (const char* list : {"paths", "suspects", "suspect_hosts", "gpu_copies", "waived"})
    doc[list] = Json::array();
  int rounds = 0, retestRounds = 0;
  double wall = 0;
  std::size_t offset = 0;
  for (std::size_t i = 0; i < read.size(); ++i) {
    const Json& head = read[i].head;
    for (Json rank : head["ranks"]) {
      rank["rank"] = offset + rank.value("rank", std::uint64_t{0});
      rank["from"] = inputs[i].source;
      doc["ranks"].push_back(std::move(rank));
    }
    for (const char* list : {"paths", "suspects", "suspect_hosts", "gpu_copies", "waived"}) {
      if (!head.contains(list) || !head[list].is_array()) continue;
      for (Json item : head[list]) {
        if (item.is_object()) {
          for (const char* end : {"a", "b"}) {
            if (item.contains(end) && item[end].is_number_unsigned())
              item[end] = offset + item[end].get<std::uint64_t>();
          }
          item["from"] = inputs[i].source;
        }
        doc[list].push_back(std::move(item));
      }
    }
    rounds = std::max(rounds, head.value("rounds", 0));
    retestRounds = std::max(retestRounds, head.value("retest_rounds", 0));
    wall += head.value("wall_time_s", 0.0);
    std::vector<std::string> hosts;
    for (const Json& host : head["hosts"]) hosts.push_back(stringOr(host, "name", ""));
    doc["merged_from"].push_back({{"file", inputs[i].source},
                                  {"created_utc", stringOr(head, "created_utc", "")},
                                  {"hosts", hosts},
                                  {"links", read[i].rows.size()}});
    offset += head["ranks"].size();
  }
  doc["rounds"] = rounds;
  doc["retest_rounds"] = retestRounds;
  doc["incomplete"] = false;
  doc["wall_time_s"] = wall;
  return dumpWithRows(doc, "links", [&](const auto& emit) {
    for (const ReadInput& one : read) {
      for (const std::string& row : one.rows) emit(Json::parse(row));
    }
  });
}

}  // namespace topoplan
