#include "probes/inventory.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

std::string hwlocFile(const std::string& name) {
  return std::string(TOPOPLAN_TEST_DATA) + "/hwloc/" + name;
}

TEST(Inventory, Dgx2SixteenGpusTwelveNvswitchesAndTheNvlinkMatrix) {
  auto inventory = readInventory(hwlocFile("nvidiaDGX2.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->packages, 2);
  EXPECT_EQ(inventory->numaNodes, 2);
  ASSERT_EQ(inventory->gpus.size(), 16u);
  EXPECT_EQ(inventory->nvswitches.size(), 12u);
  EXPECT_EQ(inventory->gpus[0].model, "Tesla V100-SXM3-32GB-H");
  EXPECT_EQ(inventory->gpus[0].pciBusId, "0000:34:00.0");
  EXPECT_EQ(inventory->gpus[0].numaNode, 0);
  EXPECT_EQ(inventory->gpus[15].numaNode, 1);
  const DistanceMatrix* nvlink = nullptr;
  for (const auto& matrix : inventory->distances) {
    if (matrix.name == "NVLinkBandwidth") nvlink = &matrix;
  }
  ASSERT_NE(nvlink, nullptr);
  ASSERT_EQ(nvlink->objects.size(), 28u);  // 16 GPUs + 12 NVSwitches
  EXPECT_EQ(nvlink->values.size(), 28u * 28u);
  double total = 0;
  for (double v : nvlink->values) total += v;
  EXPECT_GT(total, 0);
  // Every GPU has 6 NVLinks of 25 GB/s to the NVSwitches of its board: all 120 pairs meet
  // there at 150 GB/s.
  ASSERT_EQ(inventory->gpuPairs.size(), 120u);
  for (const GpuPairPath& pair : inventory->gpuPairs) {
    EXPECT_EQ(pair.path, "nvswitch") << pair.a << " " << pair.b;
    EXPECT_EQ(pair.nvlinkGbps, 150) << pair.a << " " << pair.b;
  }
  EXPECT_FALSE(inventory->cuda.has_value()) << "an XML file says nothing of a CUDA runtime";
}

TEST(Inventory, Power8FourGpusAndTheirNvlinkDistances) {
  auto inventory = readInventory(hwlocFile("power8gpudistances.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  ASSERT_EQ(inventory->gpus.size(), 4u);
  EXPECT_EQ(inventory->gpus[0].model, "Tesla P100-SXM2-16GB");
  EXPECT_EQ(inventory->gpus[2].numaNode, 1);
  bool found = false;
  for (const auto& matrix : inventory->distances) {
    if (matrix.name != "NVLinkBandwidth") continue;
    found = true;
    ASSERT_EQ(matrix.objects.size(), 6u);  // 4 GPUs and the 2 CPU packages
    EXPECT_EQ(matrix.values[0], 1000000);  // as stored in the file
    EXPECT_EQ(matrix.values[1], 40000);
  }
  EXPECT_TRUE(found);
  // NVLink joins GPUs 0-1 and 2-3 (40 GB/s each); the other pairs cross the sockets.
  ASSERT_EQ(inventory->gpuPairs.size(), 6u);
  for (const GpuPairPath& pair : inventory->gpuPairs) {
    const bool linked = (pair.a == "0002:01:00.0" && pair.b == "0003:01:00.0") ||
                        (pair.a == "000a:01:00.0" && pair.b == "000b:01:00.0");
    EXPECT_EQ(pair.path, linked ? "nvlink" : "system") << pair.a << " " << pair.b;
    EXPECT_EQ(pair.nvlinkGbps, linked ? 40 : 0) << pair.a << " " << pair.b;
  }
}

TEST(Inventory, Gb10WhatIsThere) {
  auto inventory = readInventory(hwlocFile("nvidia-dgx-gb10.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->cores, 20);
  EXPECT_EQ(inventory->packages, 1);
  EXPECT_TRUE(inventory->gpus.empty());  // the file holds no I/O devices
}

TEST(Inventory, LiveMachineAndBadFiles) {
  auto live = readInventory("");
  ASSERT_TRUE(live.ok()) << live.error().message();
  EXPECT_GT(live->pus, 0);
  EXPECT_EQ(live->source, "live");
  bool loopback = false;
  for (const NetInterface& iface : live->interfaces)
    loopback |= iface.name == "lo" && iface.kind == "loopback";
  EXPECT_TRUE(loopback) << "the live inventory lists network interfaces with their kind";
  // CUDA devices and RDMA ports: listed, or absent with the reason (never an error).
  ASSERT_TRUE(live->cuda.has_value());
  EXPECT_EQ(live->cuda->devices.empty(), !live->cuda->absentReason.empty());
  EXPECT_EQ(live->cuda->peers.size(),
            live->cuda->devices.size() *
                (live->cuda->devices.size() - (live->cuda->devices.empty() ? 0 : 1)));
  ASSERT_TRUE(live->ib.has_value());
  EXPECT_EQ(live->ib->ports.empty(), !live->ib->absentReason.empty());
  auto missing = readInventory("/nonexistent.xml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("/nonexistent.xml"), std::string::npos);
  auto notXml = readInventory(std::string(TOPOPLAN_TEST_DATA) + "/README.md");
  ASSERT_FALSE(notXml.ok());
  EXPECT_NE(notXml.error().message().find("expected the output of lstopo --of xml"),
            std::string::npos);
}

}  // namespace
}  // namespace topoplan
