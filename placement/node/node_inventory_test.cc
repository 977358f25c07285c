#include "placement/node/node_inventory.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

PciDeviceRecord device(const std::string& kind, const std::string& bus, int numa) {
  PciDeviceRecord d;
  d.kind = kind;
  d.pciBusId = bus;
  d.numaNode = numa;
  d.pciLinkGBps = 32;
  return d;
}

// Four GPUs listed out of PCI order, two per switch, one NIC behind the first switch.
InventoryRecord fourGpus() {
  InventoryRecord inventory;
  inventory.gpus = {device("gpu", "0000:c1:00.0", 1), device("gpu", "0000:41:00.0", 0),
                    device("gpu", "0000:42:00.0", 0), device("gpu", "0000:C2:00.0", 1)};
  inventory.nics = {device("nic", "0000:43:00.0", 0)};
  inventory.nics[0].osDevices = {"mlx5_0"};
  inventory.gpus[1].nearestNic = inventory.gpus[2].nearestNic = "mlx5_0";
  inventory.gpus[1].nicPath = inventory.gpus[2].nicPath = "pcie-switch";
  inventory.numaCpusets = {"0-15", "16-31"};
  inventory.numaPackages = {0, 1};
  inventory.gpuPairs = {{"0000:41:00.0", "0000:42:00.0", "pcie-switch", 0},
                        {"0000:c1:00.0", "0000:c2:00.0", "nvlink", 50}};
  return inventory;
}

TEST(NodeInventory, IndicesInPciOrderPathsSwitchesAndSockets) {
  auto model = nodeModelOf(fourGpus(), {}, "node.xml");
  ASSERT_TRUE(model.ok()) << model.error().message();
  const NodeModel& m = model->model;
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m.gpus[0].pciBusId, "0000:41:00.0");
  EXPECT_EQ(m.gpus[3].pciBusId, "0000:C2:00.0");  // case does not change the order
  EXPECT_EQ(m.gpus[2].socket, 1);
  EXPECT_EQ(m.pairPath(0, 1), GpuPath::kPcieSwitch);
  EXPECT_DOUBLE_EQ(m.pairGbps(0, 1), 32);
  EXPECT_EQ(m.pairPath(2, 3), GpuPath::kNvlink);
  EXPECT_DOUBLE_EQ(m.pairGbps(2, 3), 50);
  EXPECT_EQ(m.pairPath(0, 2), GpuPath::kSystem);  // no pair listed: across NUMA nodes
  EXPECT_DOUBLE_EQ(m.pairGbps(0, 2), 0.4 * 32);
  EXPECT_GE(m.gpus[0].pcieSwitch, 0);
  EXPECT_EQ(m.gpus[0].pcieSwitch, m.gpus[1].pcieSwitch);
  EXPECT_EQ(m.nics[0].pcieSwitch, m.gpus[0].pcieSwitch);  // the NIC joins its GPUs' switch
  EXPECT_EQ(m.gpus[2].pcieSwitch, -1);
  EXPECT_FALSE(model->pcieAssumed);
  EXPECT_EQ(model->measuredPairs, 0);
}

TEST(NodeInventory, MeasuredPeerCopiesReplaceTheDeclaredFigureSlowerDirection) {
  std::vector<GpuCopyRecord> copies;
  for (auto [src, dst, gbps] : {std::tuple{0, 2, 40.0}, {2, 0, 38.0}, {1, 3, 20.0}}) {
    GpuCopyRecord copy("peer", src, dst);
    copy.bwGbps.median = gbps;
    copies.push_back(copy);
  }
  GpuCopyRecord h2d("h2d", -1, 0);
  h2d.bwGbps.median = 99;
  copies.push_back(h2d);
  auto model = nodeModelOf(fourGpus(), copies, "node.xml");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->measuredPairs, 2);
  EXPECT_DOUBLE_EQ(model->model.pairGbps(0, 2), 38);
  EXPECT_DOUBLE_EQ(model->model.pairGbps(2, 0), 38);
  EXPECT_DOUBLE_EQ(model->model.pairGbps(1, 3), 20);
}

TEST(NodeInventory, ErrorsNameTheSource) {
  InventoryRecord none;
  EXPECT_EQ(nodeModelOf(none, {}, "a.xml").error().message(), "a.xml: the inventory has no GPUs");
  InventoryRecord twice = fourGpus();
  twice.gpus[3].pciBusId = "0000:41:00.0";
  EXPECT_EQ(nodeModelOf(twice, {}, "b.xml").error().message(),
            "b.xml: two GPUs with PCI bus id 0000:41:00.0");
  InventoryRecord unknownLinks = fourGpus();
  for (PciDeviceRecord& gpu : unknownLinks.gpus) gpu.pciLinkGBps = 0;
  auto model = nodeModelOf(unknownLinks, {}, "c.xml");
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE(model->pcieAssumed);
  EXPECT_DOUBLE_EQ(model->model.pairGbps(0, 1), kUnknownPcieGbps);
}

}  // namespace
}  // namespace topoplan
