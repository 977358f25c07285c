#include "placement/node/gpu_choice.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

// Eight GPUs on two sockets, two PCIe switches a socket, two GPUs a switch; NICs on switches 0
// and 3. `link(a, b)` gives NVLink figures on top of the PCIe paths (0: none).
NodeModel eightGpus(double (*link)(int, int)) {
  NodeModel m;
  for (int g = 0; g < 8; ++g)
    m.gpus.push_back({g, "0000:0" + std::to_string(g) + ":00.0", g / 2, g / 4, g / 4});
  m.nics = {{"mlx5_0", 0, 0, 0}, {"mlx5_1", 3, 1, 1}};
  m.numaCpusets = {"0-15", "16-31"};
  m.gbps.assign(64, 0);
  m.paths.assign(64, GpuPath::kSystem);
  for (int a = 0; a < 8; ++a)
    for (int b = 0; b < 8; ++b) {
      if (a == b) continue;
      GpuPath path = a / 2 == b / 2   ? GpuPath::kPcieSwitch
                     : a / 4 == b / 4 ? GpuPath::kHostBridge
                                      : GpuPath::kSystem;
      double gbps = declaredGbps(path, 0, 25);
      if (link(a, b) > 0) {
        path = GpuPath::kNvlink;
        gbps = link(a, b);
      }
      m.gbps[static_cast<std::size_t>(a * 8 + b)] = gbps;
      m.paths[static_cast<std::size_t>(a * 8 + b)] = path;
    }
  return m;
}

double none(int, int) {
  return 0;
}
double cubeMesh(int a, int b) {  // DGX-1: two NVLinked quads, GPU i to i + 4
  return (a / 4 == b / 4 || a % 4 == b % 4) ? 24 : 0;
}

std::vector<bool> busyOf(std::initializer_list<int> gpus) {
  std::vector<bool> busy(8, false);
  for (int g : gpus) busy[static_cast<std::size_t>(g)] = true;
  return busy;
}

TEST(GpuChoice, TakesAFullyNvlinkedQuadOfACubeMesh) {
  const NodeModel m = eightGpus(cubeMesh);
  auto c = chooseGpus(m, {}, 4);
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->gpus, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_DOUBLE_EQ(c->ringGbps, 24);
  EXPECT_EQ(c->sockets, 1);
  EXPECT_EQ(c->cpuset, "0-15");
  // With GPU 1 busy: the other quad.
  c = chooseGpus(m, busyOf({1}), 4);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->gpus, (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(c->cpuset, "16-31");
  EXPECT_EQ(c->nics, (std::vector<std::string>{"mlx5_1", "mlx5_1", "mlx5_1", "mlx5_1"}));
  // Six GPUs: no set is NVLinked in every pair, but a ring over NVLinks exists (0 1 5 4 ... ).
  c = chooseGpus(m, {}, 6);
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(c->ringGbps, 24);
  EXPECT_DOUBLE_EQ(c->ringGbps, exhaustiveRingGbps(m, c->gpus));
  EXPECT_LT(c->slowestPairGbps, 24);
  EXPECT_NE(c->limit.find("over nvlink, 24 GB/s"), std::string::npos) << c->limit;
}

TEST(GpuChoice, KeepsAPcieGangUnderOneSwitchWithItsNic) {
  const NodeModel m = eightGpus(none);
  auto c = chooseGpus(m, {}, 2);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->gpus, (std::vector<int>{0, 1}));  // every pair under a switch is as good: the lowest
  EXPECT_EQ(c->nicPaths, (std::vector<std::string>{"pcie-switch", "pcie-switch"}));
  EXPECT_TRUE(c->misaligned.empty());
  EXPECT_EQ(c->pcieSwitches, 1);
  // Switches 0 and 3 busy: a pair under switch 1 or 2, whose NIC is a NUMA node away at best.
  c = chooseGpus(m, busyOf({0, 1, 6, 7}), 2);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->gpus, (std::vector<int>{2, 3}));
  EXPECT_EQ(c->nicPaths[0], "numa");
  // Four GPUs: one socket (host bridge) rather than two switches across sockets.
  c = chooseGpus(m, {}, 4);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->sockets, 1);
  EXPECT_DOUBLE_EQ(c->ringGbps, 20);  // 0.8 x 25 over the host bridge
  EXPECT_NE(c->limit.find("host-bridge"), std::string::npos);
}

TEST(GpuChoice, SaysWhyAGpuHasNoNicNearIt) {
  NodeModel m = eightGpus(none);
  m.nics = {{"mlx5_0", 0, 0, 0}};
  auto c = chooseGpus(m, busyOf({0, 1, 2, 3}), 2);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->misaligned.size(), 2u);
  EXPECT_EQ(c->misaligned[0],
            "GPU 4: no NIC on its PCIe switch or NUMA node (nearest mlx5_0, across sockets)");
  m.nics.clear();
  c = chooseGpus(m, {}, 1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->misaligned[0], "GPU 0: the host has no NIC");
  EXPECT_EQ(c->limit, "one GPU: no AllReduce traffic inside the host");
}

TEST(GpuChoice, RefusesWhatCannotBeGiven) {
  const NodeModel m = eightGpus(none);
  auto c = chooseGpus(m, busyOf({0, 1, 2, 3, 4}), 4);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message(), "4 GPUs asked, 3 of 8 free");
  EXPECT_FALSE(chooseGpus(m, {}, 0).ok());
  NodeModel broken = m;
  broken.gbps.pop_back();
  EXPECT_FALSE(chooseGpus(broken, {}, 2).ok());
}

}  // namespace
}  // namespace topoplan
