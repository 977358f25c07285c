#include "probes/nccl_topology.h"
#include "tests/test_data.h"

#include <gtest/gtest.h>

#include <fstream>

namespace topoplan {
namespace {

std::string ncclTopoFile(const std::string& name) {
  return std::string(TOPOPLAN_TEST_DATA) + "/nccl-topo/" + name;
}

TEST(NcclTopology, AzureNdv4EightGpusEachWithAnInfinibandNicBehindItsSwitch) {
  auto inventory = readNcclTopology(ncclTopoFile("azure-ndv4-topo.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->numaNodes, 4);
  ASSERT_EQ(inventory->gpus.size(), 8u);
  EXPECT_EQ(inventory->nics.size(), 8u);
  EXPECT_EQ(inventory->gpus[0].pciBusId, "0003:00:00.0");
  EXPECT_EQ(inventory->gpus[0].numaNode, 0);
  EXPECT_NEAR(inventory->gpus[0].pciLinkGBps, 31.5, 0.1);  // PCIe 4.0 x16
  for (const PciDeviceRecord& gpu : inventory->gpus) EXPECT_EQ(gpu.nicPath, "pcie-switch");
  EXPECT_EQ(inventory->gpus[0].nearestNic, "0103:00:00.0");
}

TEST(NcclTopology, AwsP4dTwoGpusShareEachEfaNic) {
  auto inventory = readNcclTopology(ncclTopoFile("aws-p4d-24xl-topo.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->numaNodes, 2);
  ASSERT_EQ(inventory->gpus.size(), 8u);
  ASSERT_EQ(inventory->nics.size(), 4u);
  EXPECT_EQ(inventory->gpus[0].nearestNic, "0000:10:1b.0");
  EXPECT_EQ(inventory->gpus[1].nearestNic, "0000:10:1b.0");
  EXPECT_EQ(inventory->gpus[0].nicPath, "pcie-switch");
}

TEST(NcclTopology, AzureNdv5) {
  auto inventory = readNcclTopology(ncclTopoFile("azure-ndv5-topo.xml"));
  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->gpus.size(), 8u);
  EXPECT_EQ(inventory->nics.size(), 8u);
  EXPECT_EQ(inventory->numaNodes, 2);
}

TEST(NcclTopology, BadFilesNameFileAndLine) {
  const ScratchFile file("bad-topo.xml", "<system>\n<cpu numaid=\"x\">\n</cpu>\n</system>\n");
  const std::string& path = file.path();
  EXPECT_EQ(readNcclTopology(path).error().message(),
            path + ":2: <cpu numaid=\"x\">: expected a NUMA node number");
  file.write("<system>\n<cpu numaid=\"0\">\n");
  EXPECT_NE(readNcclTopology(path).error().message().find("not well-formed XML"),
            std::string::npos);
  file.write("<topology/>");
  EXPECT_NE(readNcclTopology(path).error().message().find("root element is not <system>"),
            std::string::npos);
  EXPECT_FALSE(readNcclTopology("/nonexistent.xml").ok());
}

}  // namespace
}  // namespace topoplan
