#include "probes/gpu/pcie_link.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace topoplan {
namespace {

TEST(PcieLink, PeakFromTransferRateAndLanes) {
  EXPECT_NEAR((PcieLink{32, 16}.peakGbps()), 63.015, 0.001);  // Gen5 x16 (H100 PCIe)
  EXPECT_NEAR((PcieLink{16, 16}.peakGbps()), 31.508, 0.001);  // Gen4 x16
  EXPECT_NEAR((PcieLink{8, 8}.peakGbps()), 7.877, 0.001);     // Gen3 x8
  EXPECT_EQ((PcieLink{2.5, 1}.peakGbps()), 0.25);             // Gen1 x1, 8b/10b
  EXPECT_EQ((PcieLink{32, 16}.text()), "PCIe Gen5 x16 (32 GT/s)");
  EXPECT_EQ((PcieLink{0, 16}.peakGbps()), 0);
  EXPECT_FALSE((PcieLink{16, 0}.known()));
}

TEST(PcieLink, BusIdsOfCudaAndHwlocMeetInSysfsForm) {
  EXPECT_EQ(normalizeBusId("00000000:1B:00.0"), "0000:1b:00.0");
  EXPECT_EQ(normalizeBusId("0000:1b:00.0"), "0000:1b:00.0");
}

// A fake sysfs tree, removed when the test ends.
struct FakeSysfs {
  std::filesystem::path root = std::filesystem::temp_directory_path() /
                               ("topoplan-" + std::to_string(::getpid()) + "-sysfs");
  ~FakeSysfs() { std::filesystem::remove_all(root); }
};

TEST(PcieLink, ReadsSysfsAndKnowsWhenItCannot) {
  FakeSysfs sysfs;
  const std::filesystem::path& root = sysfs.root;
  const auto device = root / "bus/pci/devices/0000:1b:00.0";
  std::filesystem::create_directories(device);
  std::ofstream(device / "current_link_speed") << "32.0 GT/s PCIe\n";
  std::ofstream(device / "current_link_width") << "16\n";
  const PcieLink link = readPcieLink("00000000:1B:00.0", root.string());
  EXPECT_EQ(link.gtPerSecond, 32);
  EXPECT_EQ(link.width, 16);
  std::ofstream(device / "current_link_speed") << "Unknown\n";
  EXPECT_FALSE(readPcieLink("0000:1b:00.0", root.string()).known());
  EXPECT_FALSE(readPcieLink("0000:99:00.0", root.string()).known());
}

}  // namespace
}  // namespace topoplan
