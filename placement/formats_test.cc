// Hostlists, SLURM topology.conf and ibnetdiscover dumps (real ones from tests/data).
#include <gtest/gtest.h>

#include "tests/test_data.h"

#include "placement/hostlist.h"
#include "placement/ibnetdiscover.h"
#include "placement/slurm_topology.h"

namespace topoplan {
namespace {

TEST(Hostlist, ExpandsAndCompressesRoundTrip) {
  auto names = expandHostlist("node[01-03,07],gpu-a1,x[8-10]");
  ASSERT_TRUE(names.ok()) << names.error().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"node01", "node02", "node03", "node07", "gpu-a1",
                                              "x8", "x9", "x10"}));
  EXPECT_EQ(compressHostlist({"node01", "node02", "node03", "node07", "gpu-a1"}),
            "node[01-03,07],gpu-a1");
  EXPECT_EQ(compressHostlist({"h0004", "h0002", "h0003"}), "h[0002-0004]");
  EXPECT_EQ(*expandHostlist(compressHostlist(*names)).value().begin(), "node01");
  for (const char* bad : {"n[1-", "n[3-1]", "n[a-b]", "n[[1]]", "n[1-99999999]"}) {
    auto result = expandHostlist(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_NE(result.error().message().find(bad), std::string::npos);
  }
}

TEST(Hostlist, ExpandsEveryBracketOfANameTheFirstVaryingSlowest) {
  // As Slurm's scontrol show hostnames "r[1-2]n[1-3]-[08-09]x".
  auto names = expandHostlist("r[1-2]n[1,3]-[08-09]x,h");
  ASSERT_TRUE(names.ok()) << names.error().message();
  EXPECT_EQ(*names,
            (std::vector<std::string>{"r1n1-08x", "r1n1-09x", "r1n3-08x", "r1n3-09x", "r2n1-08x",
                                      "r2n1-09x", "r2n3-08x", "r2n3-09x", "h"}));
  auto tooMany = expandHostlist("a[1-1000]b[1-1000]", 10'000);
  ASSERT_FALSE(tooMany.ok());
  EXPECT_NE(tooMany.error().message().find("more than 10000 names"), std::string::npos);
  EXPECT_FALSE(expandHostlist("a[1-2]b[2-1]").ok());
}

TEST(SlurmTopology, TreeWithUnevenDepth) {
  const char* conf =
      "# fabric\n"
      "SwitchName=s0 Nodes=tux[0-3] LinkSpeed=900\n"
      "SwitchName=s1 Nodes=tux[4-7]\n"
      "SwitchName=s2 Switches=s[0-1]\n"
      "SwitchName=s3 Nodes=tux[8-9]\n"
      "SwitchName=top Switches=s2,s3\n";
  auto topology = parseSlurmTopology(conf, "topology.conf");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->levelNames(), (std::vector<std::string>{"tier1", "tier2", "tier3"}));
  EXPECT_EQ(topology->hosts().size(), 10u);
  EXPECT_EQ(topology->domains()[topology->hosts()[5].domains[2]].name, "top/s2/s1");
  EXPECT_EQ(topology->domains()[topology->hosts()[9].domains[2]].name, "top/s3/s3");
  EXPECT_EQ(topology->sharedLevels(0, 4), 2);
}

TEST(SlurmTopology, Blocks) {
  auto topology = parseSlurmTopology(
      "BlockName=b1 Nodes=n[1-4]\nBlockName=b2 Nodes=n[5-8]\nBlockSizes=4,8\n", "t");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->levelNames(), std::vector<std::string>{"block"});
  EXPECT_EQ(topology->domainsAt(0).size(), 2u);
}

TEST(SlurmTopology, ErrorsNameLineAndExpectation) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"SwitchName=a Switches=b\nSwitchName=b Switches=a\n", "t:1: cycle in the switch graph"},
           {"SwitchName=a Switches=zz\n", "t:1: unknown switch 'zz' in Switches"},
           {"SwitchName=a Nodes=n1\nSwitchName=b Switches=a\nSwitchName=c Switches=a\n",
            "t:3: switch 'a' has two parents ('b' and 'c'), expected a tree"},
           {"SwitchName=a Nodes=n[1-2]\nSwitchName=b Nodes=n2\n",
            "t:2: node 'n2' listed under two"},
           {"SwitchName=a Nodes=n1\nSwitchName=a Nodes=n2\n", "t:2: switch 'a' defined twice"},
           {"SwitchName=a Colour=red\n", "t:1: unknown key 'Colour'"},
           {"Nodes=n1\n", "t:1: 'Nodes=n1': expected SwitchName="},
           {"SwitchName=a Nodes=n[1-\n", "t:1: hostlist 'n[1-'"},
           {"\n# nothing\n", "t: no SwitchName or BlockName lines"}}) {
    auto topology = parseSlurmTopology(c.text, "t");
    ASSERT_FALSE(topology.ok()) << c.text;
    EXPECT_EQ(topology.error().message().rfind(c.message, 0), 0u) << topology.error().message();
  }
}

TEST(Ibnetdiscover, RealNdrFabric) {
  const std::string text = readTestData("ibnetdiscover/topograph-example.out");
  ASSERT_TRUE(looksLikeIbnetdiscover(text));
  auto topology = parseIbnetdiscover(text, "fabric.out");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->levelNames(), (std::vector<std::string>{"spine-group", "leaf-group"}));
  EXPECT_EQ(topology->hosts().size(), 123u);  // 124 adapters' hosts less the SHARP aggregation node
  const int host = topology->hostIndex("a08-p1-dgx-04-c01");
  ASSERT_GE(host, 0);
  const std::string group = topology->domains()[topology->hosts()[host].domains[1]].name;
  // c01's four rails attach to leaf 04 of IBLEAF groups 01-04; all leaves reach the 9 spines.
  EXPECT_EQ(group, "A10-P1-IBSPINE-01+8/A09-P1-IBLEAF-01-04+3");
  // Hosts of one scalable unit share a leaf group; c01 and c02 attach to the same leaves.
  EXPECT_EQ(topology->sharedLevels(host, topology->hostIndex("a08-p1-dgx-04-c02")), 2);
}

TEST(Ibnetdiscover, MalformedDumpIsAClearError) {
  auto topology =
      parseIbnetdiscover(readTestData("ibnetdiscover/topograph-example-bad.out"), "bad.out");
  ASSERT_FALSE(topology.ok());
  EXPECT_EQ(topology.error().message(),
            "bad.out:10: adapter 'dgx-gb200-n01-c1 HCA-1' has no link to a described switch, "
            "expected a complete dump");
  EXPECT_FALSE(parseIbnetdiscover("[1] \"S-1\"[2]\n", "x").ok());
  EXPECT_FALSE(parseIbnetdiscover("Switch 2 S-1\n", "x").ok());
}

}  // namespace
}  // namespace topoplan
