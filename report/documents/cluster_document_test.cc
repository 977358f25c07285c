#include "report/documents/cluster_document.h"
#include "report/documents/inventory_document.h"

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

// The gpu probe's view: each copy with its peak where known, and each rank's GPU where its host
// has one per local rank.
TEST(ClusterDocument, GpuCopiesAndEachRanksGpu) {
  GpuCopyRecord h2d{"h2d", -1, 0};
  h2d.bytes = 64 << 20;
  h2d.bwGbps = summarize({50, 52, 54});
  h2d.path = "pcie";
  h2d.expectedPeakGbps = 63.0;
  h2d.peakBasis = "PCIe Gen5 x16 (32 GT/s)";
  const auto item = gpuCopyJson(h2d);
  EXPECT_EQ(item["src"], "host");
  EXPECT_EQ(item["dst"], 0);
  EXPECT_EQ(item["bw_gbps"]["median"], 52);
  EXPECT_EQ(item["samples"], 3);
  EXPECT_NEAR(item["peak_percent"].get<double>(), 100.0 * 52 / 63, 1e-9);
  GpuCopyRecord peer{"peer", 0, 1};
  peer.bwGbps = summarize({10});
  peer.path = "staged";
  EXPECT_TRUE(gpuCopyJson(peer)["expected_peak_gbps"].is_null());
  EXPECT_FALSE(gpuCopyJson(peer).contains("peak_percent"));

  ProbeRun run;
  run.rankHosts = {"gpu-host", "gpu-host", "gpu-host", "cpu-host"};
  run.localRanks = {0, 1, 2, 0};
  InventoryRecord gpuHost;
  gpuHost.cuda = CudaInventory{};
  gpuHost.cuda->devices = {{0, "H100", "00000000:1B:00.0", 80ULL << 30, 9, 0},
                           {1, "H100", "00000000:43:00.0", 80ULL << 30, 9, 0}};
  gpuHost.gpuPairs = {{"0000:1b:00.0", "0000:43:00.0", "pcie-switch", 0}};
  run.inventories["gpu-host"] = gpuHost;
  InventoryRecord cpuHost;
  cpuHost.cuda = CudaInventory{{}, {}, "no CUDA device"};
  run.inventories["cpu-host"] = cpuHost;
  h2d.host = "gpu-host";
  run.gpuCopies.push_back(h2d);
  ProbedPath mpi{"mpi", "", "net", "shm", {}};
  for (auto [a, b] : {std::pair{0, 1}, std::pair{0, 2}}) {
    LinkMeasurement link;
    link.a = a;
    link.b = b;
    link.concurrent.resize(1);
    link.concurrent[0].bytes = 4096;
    link.concurrent[0].bwGbps = summarize({1.0});
    link.concurrent[0].latUs = summarize({2.0});
    mpi.result.links.push_back(link);
  }
  const auto doc = clusterDocument(run, {mpi});
  EXPECT_EQ(doc["ranks"][0]["gpu"], 0);
  EXPECT_EQ(doc["ranks"][1]["gpu"], 1);
  EXPECT_TRUE(doc["ranks"][2]["gpu"].is_null()) << "a third rank on a host of two GPUs has none";
  EXPECT_TRUE(doc["ranks"][3]["gpu"].is_null());
  ASSERT_EQ(doc["links"].size(), 2u);
  EXPECT_EQ(doc["links"][0]["gpu_path"], "pcie-switch")
      << "ranks 0 and 1: CUDA bus ids in hwloc's pairs";
  EXPECT_FALSE(doc["links"][1].contains("gpu_path")) << "rank 2 has no GPU";
  ASSERT_EQ(doc["gpu_copies"].size(), 1u);
  EXPECT_EQ(doc["gpu_copies"][0]["kind"], "h2d");
  EXPECT_EQ(doc["gpu_copies"][0]["host"], "gpu-host");
  // The document's views read back into the same records.
  auto copy = gpuCopyFromJson(doc["gpu_copies"][0], "p.json.gpu_copies[0]");
  ASSERT_TRUE(copy.ok()) << copy.error().message();
  EXPECT_EQ(copy->host, "gpu-host");
  EXPECT_EQ(copy->src, -1);
  EXPECT_EQ(copy->dst, 0);
  EXPECT_EQ(copy->bwGbps.median, 52);
  EXPECT_EQ(copy->expectedPeakGbps, 63);
  EXPECT_EQ(copy->peakBasis, "PCIe Gen5 x16 (32 GT/s)");
  auto inventory = inventoryFromJson(doc["hosts"][0]["inventory"], "p.json.hosts[0].inventory");
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  ASSERT_TRUE(inventory->cuda);
  EXPECT_EQ(inventory->cuda->devices[1].pciBusId, "00000000:43:00.0");
  EXPECT_EQ(inventory->cuda->devices[1].computeMajor, 9);
  EXPECT_EQ(inventory->gpuPairs[0].path, "pcie-switch");
  auto broken = doc["gpu_copies"][0];
  broken["bw_gbps"]["median"] = -1;
  EXPECT_EQ(gpuCopyFromJson(broken, "c").error().message(),
            "c.bw_gbps.median: expected a number >= 0");
  auto badInventory = doc["hosts"][0]["inventory"];
  badInventory["cuda"]["devices"][0]["compute_capability"] = "nine";
  EXPECT_EQ(inventoryFromJson(badInventory, "i").error().message(),
            "i.cuda.devices[0].compute_capability: 'nine', expected MAJOR.MINOR");
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
