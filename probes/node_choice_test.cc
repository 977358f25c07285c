// The GPU choice on the real inventories of tests/data (hwloc XML and NCCL topology files): each
// gives a choice pinned here, from the file alone (NCCL topology files list no NVLinks: NCCL
// finds them through NVML at run time, so there the choice sees PCIe only).
#include <gtest/gtest.h>

#include "placement/node/gpu_choice.h"
#include "placement/node/node_inventory.h"
#include "probes/inventory.h"
#include "probes/nccl_topology.h"

namespace topoplan {
namespace {

const std::string kData = TOPOPLAN_TEST_DATA;

NodeModel modelOf(const Result<InventoryRecord>& inventory) {
  EXPECT_TRUE(inventory.ok()) << (inventory.ok() ? "" : inventory.error().message());
  auto model = nodeModelOf(*inventory, {}, "test");
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().message());
  return model->model;
}

std::vector<int> indices(const NodeModel& node, const GpuChoice& choice) {
  std::vector<int> out;
  for (int g : choice.gpus) out.push_back(node.gpus[static_cast<std::size_t>(g)].index);
  return out;
}

TEST(RealNodeChoice, Dgx2SixteenGpusOnNvswitchesTakesOneSocketFirst) {
  const NodeModel node = modelOf(readInventory(kData + "/hwloc/nvidiaDGX2.xml"));
  ASSERT_EQ(node.size(), 16u);
  EXPECT_EQ(node.gpus[8].pciBusId, "0000:b7:00.0");  // index by PCI bus id, as NVML
  EXPECT_EQ(node.gpus[8].socket, 1);
  auto choice = chooseGpus(node, {}, 8);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_DOUBLE_EQ(choice->ringGbps, 150);  // hwloc's NVLinkBandwidth
  EXPECT_EQ(choice->sockets, 1);
  EXPECT_EQ(choice->cpuset, "0-1");
  EXPECT_TRUE(node.nics.empty());  // the XML lists no NIC
  // With GPUs 1-3 and 8 busy, four of the free ones on socket 0 are still there.
  std::vector<bool> busy(16, false);
  for (int g : {1, 2, 3, 8}) busy[static_cast<std::size_t>(g)] = true;
  choice = chooseGpus(node, busy, 4);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{0, 4, 5, 6}));
}

TEST(RealNodeChoice, Power8PairsOnNvlinkNotAcrossSockets) {
  const NodeModel node = modelOf(readInventory(kData + "/hwloc/power8gpudistances.xml"));
  ASSERT_EQ(node.size(), 4u);
  std::vector<bool> busy{true};  // GPU 0 taken: the pair on the other socket, not 1 with 2
  auto choice = chooseGpus(node, busy, 2);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{2, 3}));
  EXPECT_DOUBLE_EQ(choice->ringGbps, 40);
  EXPECT_EQ(name(node.pairPath(2, 3)), std::string("nvlink"));
  EXPECT_EQ(choice->cpuset, "80-81,88-89,96-97,104-105");
  choice = chooseGpus(node, {}, 4);  // all four: the ring crosses the sockets on PCIe
  ASSERT_TRUE(choice.ok());
  EXPECT_LT(choice->ringGbps, 40);
  EXPECT_EQ(choice->sockets, 2);
}

TEST(RealNodeChoice, AzureNdv4TwoGpusOfOneSwitchWithItsNic) {
  const NodeModel node = modelOf(readNcclTopology(kData + "/nccl-topo/azure-ndv4-topo.xml"));
  ASSERT_EQ(node.size(), 8u);
  std::vector<bool> busy{false, true};  // GPU 1 (0002:00:00.0) taken: its switch mate is alone
  auto choice = chooseGpus(node, busy, 2);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{2, 3}));  // 0003 and 0004 on one switch
  EXPECT_EQ(choice->nics, (std::vector<std::string>{"0103:00:00.0", "0103:00:00.0"}));
  EXPECT_EQ(choice->nicPaths, (std::vector<std::string>{"pcie-switch", "pcie-switch"}));
  EXPECT_EQ(choice->cpuset, "0-23");
  EXPECT_TRUE(choice->misaligned.empty());
}

TEST(RealNodeChoice, AzureNdv5FourGpusOfOneSocketEachWithItsOwnNic) {
  const NodeModel node = modelOf(readNcclTopology(kData + "/nccl-topo/azure-ndv5-topo.xml"));
  std::vector<bool> busy{true};  // GPU 0 taken: four of socket 1, not three and one across
  auto choice = chooseGpus(node, busy, 4);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(choice->sockets, 1);
  EXPECT_EQ(choice->nics, (std::vector<std::string>{"0105:00:00.0", "0106:00:00.0", "0107:00:00.0",
                                                    "0108:00:00.0"}));
  EXPECT_EQ(choice->cpuset, "48-95");
}

TEST(RealNodeChoice, AwsP4dTwoGpusShareTheirSwitchAndItsEfa) {
  const NodeModel node = modelOf(readNcclTopology(kData + "/nccl-topo/aws-p4d-24xl-topo.xml"));
  std::vector<bool> busy{true, false, false, false, false, false, true};  // 0 and 6 taken
  auto choice = chooseGpus(node, busy, 2);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(indices(node, *choice), (std::vector<int>{2, 3}));
  EXPECT_EQ(choice->nics, (std::vector<std::string>{"0000:20:1b.0", "0000:20:1b.0"}));
  EXPECT_EQ(choice->pcieSwitches, 1);
  EXPECT_EQ(choice->cpuset, "0-23,48-71");
}

TEST(RealNodeChoice, Gb10ListsNoGpuSoThereIsNoChoice) {
  auto inventory = readInventory(kData + "/hwloc/nvidia-dgx-gb10.xml");
  ASSERT_TRUE(inventory.ok());
  auto model = nodeModelOf(*inventory, {}, "nvidia-dgx-gb10.xml");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.error().message(), "nvidia-dgx-gb10.xml: the inventory has no GPUs");
}

}  // namespace
}  // namespace topoplan
