#include "report/scheduler/scheduler_nodes.h"

#include <gtest/gtest.h>

#include "core/result_testing.h"

#include <cstdio>
#include <fstream>

#include "core/atomic_file.h"
#include "placement/hierarchy_csv.h"

namespace topoplan {
namespace {

const std::string kDir = TOPOPLAN_TEST_DATA "/scheduler/";

const SchedulerNode* find(const SchedulerNodes& nodes, const std::string& name) {
  for (const SchedulerNode& n : nodes.nodes)
    if (n.name == name) return &n;
  return nullptr;
}

Topology cluster() {
  const auto text = valueOrThrow<std::string>(readFile(kDir + "cluster.csv"));
  return valueOrThrow<Topology>(parseHierarchyCsv(text, "cluster.csv"));
}

// What slurmctld 22.05 printed for: gpu01 a job holding 2 of 8 GPUs, gpu02 an exclusive job,
// gpu03 drained, gpu04 down, gpu05 and gpu06 idle (all CLOUD nodes, powered down or powering up).
void expectSlurmTestDaemon(const std::vector<std::string>& files, bool gpuCounts) {
  auto nodes = readSchedulerNodes(files);
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  ASSERT_EQ(nodes->nodes.size(), 6u);
  const SchedulerFree free = schedulerFree(*nodes, cluster());
  EXPECT_EQ(free.unavailable, (std::set<std::string>{"gpu02", "gpu03", "gpu04"}));
  EXPECT_EQ(free.freeGpus.at("gpu01"), gpuCounts ? 6 : 0);
  EXPECT_EQ(free.freeGpus.at("gpu05"), 8);
  EXPECT_EQ(free.freeGpus.at("gpu06"), 8);
  EXPECT_TRUE(find(*nodes, "gpu01")->acceptsWork);  // MIXED+CLOUD+NOT_RESPONDING+POWERING_UP
}

TEST(SchedulerNodes, ScontrolOneLinerAndMultiLineAgree) {
  expectSlurmTestDaemon({kDir + "slurm-scontrol-oneliner.txt"}, true);
  expectSlurmTestDaemon({kDir + "slurm-scontrol.txt"}, true);
  auto nodes = readSchedulerNodes({kDir + "slurm-scontrol.txt"});
  ASSERT_TRUE(nodes.ok());
  EXPECT_EQ(find(*nodes, "gpu01")->gpus, 8);
  EXPECT_EQ(find(*nodes, "gpu01")->gpusUsed, 2);
  EXPECT_EQ(find(*nodes, "gpu03")->state, "IDLE+CLOUD+DRAIN+POWERED_DOWN");
}

TEST(SchedulerNodes, SinfoWithAndWithoutGresColumns) {
  expectSlurmTestDaemon({kDir + "slurm-sinfo-gres.txt"}, true);
  // Plain sinfo -N has no GPU counts: the mixed node is taken as having none free, and says so.
  expectSlurmTestDaemon({kDir + "slurm-sinfo-N.txt"}, false);
  auto nodes = readSchedulerNodes({kDir + "slurm-sinfo-N.txt"});
  ASSERT_TRUE(nodes.ok());
  const SchedulerFree free = schedulerFree(*nodes, cluster());
  bool said = false;
  for (const std::string& line : free.summary)
    said |= line.find("without GPU counts") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(SchedulerNodes, ScontrolJsonOfSlurm2311) {
  auto nodes = readSchedulerNodes({kDir + "slurm-scontrol-23.11.json"});
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  const SchedulerFree free = schedulerFree(*nodes, cluster());
  // gpu03 IDLE+DRAIN, gpu04 DOWN, gpu02 ALLOCATED, gpu06 IDLE+PLANNED (held for a pending job).
  EXPECT_EQ(free.unavailable, (std::set<std::string>{"gpu02", "gpu03", "gpu04", "gpu06"}));
  EXPECT_EQ(free.freeGpus.at("gpu01"), 5);  // tres gres/gpu=8, tres_used gres/gpu=3
  EXPECT_EQ(free.freeGpus.at("gpu05"), 8);
}

TEST(SchedulerNodes, KubectlNodesAndPodsInOneFileOrTwo) {
  for (const std::vector<std::string>& files :
       {std::vector<std::string>{kDir + "k8s-nodes-pods.json"},
        std::vector<std::string>{kDir + "k8s-nodes.json", kDir + "k8s-pods.json"},
        std::vector<std::string>{kDir + "k8s-pods.json", kDir + "k8s-nodes.json"}}) {
    auto nodes = readSchedulerNodes(files);
    ASSERT_TRUE(nodes.ok()) << nodes.error().message();
    const SchedulerFree free = schedulerFree(*nodes, cluster());
    EXPECT_EQ(free.unavailable, (std::set<std::string>{"gpu03", "gpu04"}));  // cordoned, NotReady
    EXPECT_EQ(free.freeGpus.at("gpu01"), 5);  // 2 (limit only) + 1 requested
    EXPECT_EQ(free.freeGpus.at("gpu02"), 0);
    EXPECT_EQ(free.freeGpus.at("gpu05"), 4);  // a bound pending pod: max(containers 2, init 4)
    EXPECT_EQ(free.freeGpus.at("gpu06"), 8);  // finished pods hold nothing
    EXPECT_EQ(find(*nodes, "gpu05")->notes,
              (std::vector<std::string>{"taint nvidia.com/gpu:NoSchedule"}));
    EXPECT_EQ(find(*nodes, "cpu-login01")->gpus, 0);
  }
}

TEST(SchedulerNodes, UnknownHostsAreNotFreeAndExtraNodesIgnored) {
  SchedulerNodes nodes{"sinfo", "x", {}};
  SchedulerNode idle;
  idle.name = "gpu01";
  idle.state = "idle";
  idle.acceptsWork = true;
  nodes.nodes = {idle};
  idle.name = "elsewhere";
  nodes.nodes.push_back(idle);
  const SchedulerFree free = schedulerFree(nodes, cluster());
  EXPECT_EQ(free.unavailable.size(), 5u);
  EXPECT_EQ(free.freeGpus.at("gpu01"), 8);
  EXPECT_FALSE(free.freeGpus.count("elsewhere"));
}

TEST(SchedulerNodes, StatesThatKeepWorkOff) {
  const std::string dir = ::testing::TempDir();
  const std::vector<std::pair<std::string, bool>> states = {{"IDLE", true},
                                                            {"IDLE~", true},
                                                            {"idle#", true},
                                                            {"MIXED+CLOUD", true},
                                                            {"IDLE*", false},
                                                            {"drng", false},
                                                            {"MIXED+DRAIN", false},
                                                            {"IDLE+MAINTENANCE", false},
                                                            {"IDLE+RESERVED", false},
                                                            {"IDLE+REBOOT_REQUESTED", false},
                                                            {"DOWN*", false},
                                                            {"FUTURE", false},
                                                            {"IDLE+SOMETHING_NEW", false},
                                                            {"COMPLETING", false},
                                                            {"idle@", false},
                                                            {"(", false},
                                                            {"idle+(", false}};
  std::string text = "NODELIST STATE\n";
  for (std::size_t i = 0; i < states.size(); ++i)
    text += "n" + std::to_string(i) + " " + states[i].first + "\n";
  const std::string path = dir + "/sinfo-states.txt";
  ASSERT_TRUE(writeFileAtomic(path, text).ok());
  auto nodes = readSchedulerNodes({path});
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  for (std::size_t i = 0; i < states.size(); ++i)
    EXPECT_EQ(find(*nodes, "n" + std::to_string(i))->acceptsWork, states[i].second)
        << states[i].first;
}

// scontrol show node -d names the busy GPUs (GresUsed ... (IDX:...)): place chooses among the
// others. Without -d (or where GRES has no File=), which GPUs are busy stays unknown.
TEST(SchedulerNodes, BusyGpuIndicesFromGresUsed) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/scontrol-d.txt";
  ASSERT_TRUE(writeFileAtomic(path,
                              "NodeName=a State=MIXED Gres=gpu:h100:8(S:0-1) "
                              "GresUsed=gpu:h100:3(IDX:0,2-3)\n"
                              "NodeName=b State=MIXED Gres=gpu:a100:4,gpu:h100:4 "
                              "GresUsed=gpu:a100:1(IDX:1),gpu:h100:0(IDX:N/A)\n"
                              "NodeName=c State=MIXED Gres=gpu:8 GresUsed=gpu:2\n"
                              "NodeName=d State=IDLE Gres=gpu:8 GresUsed=gpu:0(IDX:N/A)\n")
                  .ok());
  auto nodes = readSchedulerNodes({path});
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  EXPECT_EQ(find(*nodes, "a")->busyGpus, (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(find(*nodes, "a")->gpusUsed, 3);
  EXPECT_EQ(find(*nodes, "b")->busyGpus, (std::vector<int>{1}));
  EXPECT_FALSE(find(*nodes, "c")->busyGpus.has_value());
  EXPECT_EQ(find(*nodes, "d")->busyGpus, (std::vector<int>{}));
  ASSERT_TRUE(writeFileAtomic(path, "NodeName=a State=MIXED GresUsed=gpu:2(IDX:3-1)\n").ok());
  auto bad = readSchedulerNodes({path});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("GresUsed: IDX range '3-1'"), std::string::npos)
      << bad.error().message();
}

// DRA: a node without nvidia.com/gpu counts the GPUs its ResourceSlices publish; allocated
// claims make them used and name them by PCI bus id, unless pods hold device-plugin GPUs too.
TEST(SchedulerNodes, DraSlicesAndClaimsNameTheBusyGpus) {
  const auto slice = [](const std::string& node) {
    return "{\"kind\": \"ResourceSlice\", \"spec\": {\"driver\": \"gpu.nvidia.com\", "
           "\"nodeName\": \"" +
           node + "\", \"pool\": {\"name\": \"" + node +
           "\"}, \"devices\": [{\"name\": \"gpu-0\", \"attributes\": "
           "{\"resource.kubernetes.io/pciBusID\": {\"string\": \"0000:10:00.0\"}}}, "
           "{\"name\": \"gpu-1\", \"attributes\": {\"resource.kubernetes.io/pciBusID\": "
           "{\"string\": \"0000:20:00.0\"}}}]}}";
  };
  const auto node = [](const std::string& name, const std::string& allocatable) {
    return "{\"kind\": \"Node\", \"metadata\": {\"name\": \"" + name +
           "\"}, \"status\": {\"conditions\": [{\"type\": \"Ready\", \"status\": "
           "\"True\"}]" +
           allocatable + "}}";
  };
  const std::string claim =
      "{\"kind\": \"ResourceClaim\", \"status\": {\"allocation\": {\"devices\": "
      "{\"results\": [{\"driver\": \"gpu.nvidia.com\", \"pool\": \"a\", \"device\": "
      "\"gpu-1\"}, {\"driver\": \"gpu.nvidia.com\", \"pool\": \"b\", \"device\": "
      "\"gpu-0\"}]}}}}";
  const std::string pod =
      "{\"kind\": \"Pod\", \"spec\": {\"nodeName\": \"b\", \"containers\": "
      "[{\"resources\": {\"limits\": {\"nvidia.com/gpu\": \"1\"}}}]}, \"status\": "
      "{\"phase\": \"Running\"}}";
  const std::string text = "{\"items\": [" + node("a", "") + ", " +
                           node("b", ", \"allocatable\": {\"nvidia.com/gpu\": \"1\"}") + ", " +
                           slice("a") + ", " + slice("b") + ", " + claim + ", " + pod + "]}";
  auto nodes = parseSchedulerNodes({{"k.json", text}});
  ASSERT_TRUE(nodes.ok()) << nodes.error().message();
  EXPECT_EQ(find(*nodes, "a")->gpus, 2);
  EXPECT_EQ(find(*nodes, "a")->gpusUsed, 1);
  EXPECT_EQ(find(*nodes, "a")->busyGpuBusIds, (std::vector<std::string>{"0000:20:00.0"}));
  EXPECT_EQ(find(*nodes, "b")->gpusUsed, 2);  // the pod's device-plugin GPU and the claim's
  EXPECT_FALSE(find(*nodes, "b")->busyGpuBusIds.has_value());
}

TEST(SchedulerNodes, BadInputNamesTheField) {
  const std::string dir = ::testing::TempDir();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"NodeName=a State=IDLE CfgTRES=cpu=1,gres/gpu=x\n",
       "bad.txt:1: CfgTRES: 'x', expected a whole number"},
      {"NodeName=a Gres=gpu:8\n", "bad.txt:1: node 'a' has no State"},
      {"NODELIST PARTITION\nn1 all\n", "bad.txt:1: expected a STATE column"},
      {"NODELIST STATE GRES\nn1 idle gpu:eight\n", "bad.txt:2: GRES: 'eight'"},
      {"{\"items\": [{\"kind\": \"Service\"}]}",
       "bad.txt.items[0].kind: 'Service', expected Node, Pod, ResourceSlice or ResourceClaim"},
      {"{\"items\": [{\"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}, \"status\": "
       "{\"allocatable\": {\"nvidia.com/gpu\": \"8.5\"}}}]}",
       "bad.txt.items[0].status.allocatable.nvidia.com/gpu: '8.5', expected a whole number"},
      {"{\"items\": [{\"kind\": \"Pod\", \"spec\": {\"nodeName\": \"a\"}}]}", "no Node items"},
      {"{\"nodes\": [{\"name\": 3}]}", "bad.txt.nodes[0].name"},
  };
  for (const auto& [text, expected] : cases) {
    const std::string path = dir + "/bad.txt";
    ASSERT_TRUE(writeFileAtomic(path, text).ok());
    auto nodes = readSchedulerNodes({path});
    ASSERT_FALSE(nodes.ok()) << text;
    EXPECT_NE(nodes.error().message().find(expected), std::string::npos)
        << nodes.error().message() << " (expected " << expected << ")";
  }
}

TEST(SchedulerNodes, RecognisedFromContent) {
  EXPECT_TRUE(looksLikeSchedulerOutput("NodeName=a State=IDLE"));
  EXPECT_TRUE(looksLikeSchedulerOutput("NODELIST   NODES PARTITION STATE\n"));
  EXPECT_TRUE(looksLikeSchedulerOutput("{\"apiVersion\": \"v1\", \"items\": []}"));
  EXPECT_FALSE(looksLikeSchedulerOutput("{\"hosts\": {\"a\": 2}}"));
  EXPECT_FALSE(looksLikeSchedulerOutput("host,free_gpus\na,2\n"));
}

}  // namespace
}  // namespace topoplan
