#include "report/documents/cluster_merge.h"

#include <gtest/gtest.h>

#include "report/documents/cluster_document.h"

namespace topoplan {
namespace {

// A probe of `hosts` (one rank each) taken at `time`, every pair at `gbps`.
std::string probe(const std::vector<std::string>& hosts, const std::string& time, double gbps) {
  nlohmann::ordered_json doc = {{"schema", "topoplan.cluster/v1"}, {"created_utc", time}};
  doc["hosts"] = nlohmann::ordered_json::array();
  doc["ranks"] = nlohmann::ordered_json::array();
  doc["links"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    doc["hosts"].push_back({{"name", hosts[i]}, {"inventory", {{"from", time}}}});
    doc["ranks"].push_back({{"rank", i}, {"host", hosts[i]}, {"local_rank", 0}});
    for (std::size_t j = i + 1; j < hosts.size(); ++j) {
      doc["links"].push_back({{"a", i},
                              {"b", j},
                              {"host_a", hosts[i]},
                              {"host_b", hosts[j]},
                              {"probe", "mpi"},
                              {"bw_gbps", {{"median", gbps}}},
                              {"lat_us", {{"median", 5.0}}}});
    }
  }
  doc["suspects"] = {{{"a", 0}, {"b", 1}, {"reason", "test"}}};
  doc["incomplete"] = false;
  return doc.dump();
}

TEST(ClusterMerge, JoinsHostSetsRenumbersRanksAndTheNewestFigureWins) {
  const std::vector<ClusterInput> inputs = {
      {"partition-a.json", probe({"a", "b", "c"}, "2026-12-01T10:00:00Z", 10.0)},
      {"partition-b.json", probe({"c", "d", "b"}, "2026-12-02T10:00:00Z", 20.0)}};
  auto merged = mergeClusterDocuments(inputs, {"topoplan", "merge"});
  ASSERT_TRUE(merged.ok()) << merged.error().message();
  const auto doc = nlohmann::ordered_json::parse(*merged);
  EXPECT_EQ(doc["hosts"].size(), 4u);
  EXPECT_EQ(doc["hosts"][2]["name"], "c");
  EXPECT_EQ(doc["hosts"][2]["inventory"]["from"], "2026-12-02T10:00:00Z") << "the newest";
  ASSERT_EQ(doc["ranks"].size(), 6u);
  EXPECT_EQ(doc["ranks"][3]["rank"], 3);
  EXPECT_EQ(doc["ranks"][3]["host"], "c");
  EXPECT_EQ(doc["ranks"][3]["from"], "partition-b.json");
  ASSERT_EQ(doc["links"].size(), 6u) << "every link of both, the shared pair b-c twice";
  EXPECT_EQ(doc["links"][3]["a"], 3);
  EXPECT_EQ(doc["links"][3]["b"], 4);
  EXPECT_EQ(doc["links"][3]["measured_utc"], "2026-12-02T10:00:00Z");
  EXPECT_EQ(doc["suspects"][1]["a"], 3) << "suspects renumbered too";
  ASSERT_EQ(doc["merged_from"].size(), 2u);
  EXPECT_EQ(doc["merged_from"][1]["links"], 3);

  auto read = readClusterText(*merged, "merged.json");
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->hosts.size(), 4u);
  ASSERT_EQ(read->pairs.size(), 5u) << "b-c once: the newer figure";
  for (const PairMeasurement& pair : read->pairs) {
    if ((pair.a == "b" && pair.b == "c") || (pair.a == "c" && pair.b == "b")) {
      EXPECT_EQ(pair.gbps, 20.0);
      EXPECT_EQ(pair.measuredUtc, "2026-12-02T10:00:00Z");
    }
  }
}

TEST(ClusterMerge, RefusesWhatIsNotACompleteProbe) {
  std::string incomplete = probe({"a", "b"}, "t", 1.0);
  incomplete.replace(incomplete.find("\"incomplete\":false"), 18,
                     "\"incomplete\":true,\"incomplete_reason\":\"rank 1 lost\"");
  EXPECT_NE(
      mergeClusterDocuments({{"p.json", incomplete}}, {})
          .error()
          .message()
          .find("p.json.incomplete: the probe ended before it measured every pair (rank 1 lost)"),
      std::string::npos);
  EXPECT_EQ(mergeClusterDocuments({{"plan.json", R"({"schema": "topoplan.plan/v1"})"}}, {})
                .error()
                .message(),
            "plan.json.schema: 'topoplan.plan/v1', expected 'topoplan.cluster/v1'");
  std::string badRank = probe({"a", "b"}, "t", 1.0);
  badRank.replace(badRank.find("\"b\":1"), 5, "\"b\":7");
  EXPECT_EQ(mergeClusterDocuments({{"p.json", badRank}}, {}).error().message(),
            "p.json.links[0].b: rank 7, expected one of the input's 2 ranks");
}

}  // namespace
}  // namespace topoplan
