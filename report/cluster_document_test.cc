#include "report/cluster_document.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

nlohmann::ordered_json document() {
  return nlohmann::ordered_json::parse(R"({
    "schema": "topoplan.cluster/v1",
    "hosts": [{"name": "a"}, {"name": "b"}],
    "links": [
      {"a": 0, "b": 1, "host_a": "a", "host_b": "b", "bw_gbps": {"median": 9.0},
       "lat_us": {"median": 3.0}},
      {"a": 0, "b": 0, "host_a": "a", "host_b": "a", "bw_gbps": {"median": 90.0}},
      {"a": 1, "b": 0, "host_a": "b", "host_b": "a", "bw_gbps": {"median": 9.0},
       "sweep": [{"bytes": 1000, "time_us": 2.1}, {"bytes": 1000000, "time_us": 102.0},
                 {"bytes": 4000000, "time_us": 402.0}]}
    ]})");
}

TEST(ClusterDocument, ReadsNetworkPairsAndFitsLatencyFromSweeps) {
  auto read = readClusterMeasurements(document(), "probe.json");
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->hosts, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(read->pairs.size(), 2u);  // the link within host a is left out
  EXPECT_EQ(read->pairs[0].gbps, 9.0);
  EXPECT_EQ(read->pairs[0].latencyUs, 3.0);
  // time = 2 us + bytes / 10 GB/s: the latency is the fit's intercept; the bandwidth stays the
  // streamed figure.
  EXPECT_EQ(read->pairs[1].gbps, 9.0);
  EXPECT_NEAR(read->pairs[1].latencyUs, 2.0, 0.05);
}

TEST(ClusterDocument, AnUnfittableSweepKeepsTheDirectFigures) {
  auto doc = document();
  // A loaded machine: the small message took longer than the large one.
  doc["links"][2]["sweep"] = nlohmann::ordered_json::parse(
      R"([{"bytes": 8, "time_us": 900}, {"bytes": 4096, "time_us": 5}])");
  auto read = readClusterMeasurements(doc, "p.json");
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(read->pairs[1].gbps, 9.0);
  EXPECT_EQ(read->pairs[1].latencyUs, 0.0);  // no lat_us and no usable fit
}

TEST(ClusterDocument, ErrorsNameTheField) {
  auto doc = document();
  doc["links"][0]["bw_gbps"]["median"] = "fast";
  EXPECT_EQ(readClusterMeasurements(doc, "p.json").error().message(),
            "p.json.links[0].bw_gbps.median: \"fast\", expected a number");
  doc = document();
  doc["links"][2]["sweep"][0]["bytes"] = -8;
  EXPECT_EQ(readClusterMeasurements(doc, "p.json").error().message(),
            "p.json.links[2].sweep[0].bytes: -8, expected an integer >= 0");
  doc = document();
  doc["schema"] = "topoplan.plan/v1";
  EXPECT_FALSE(readClusterMeasurements(doc, "p.json").ok());
  doc = document();
  doc.erase("links");
  EXPECT_EQ(readClusterMeasurements(doc, "p.json").error().message(),
            "p.json.links: missing, expected an array");
}

}  // namespace
}  // namespace topoplan
