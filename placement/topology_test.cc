#include <gtest/gtest.h>

#include "tests/test_data.h"

#include "placement/hierarchy_csv.h"
#include "placement/synthetic.h"

namespace topoplan {
namespace {

TEST(Synthetic, CountsPerParentLikeHwloc) {
  auto topology = syntheticTopology("spine=2,leaf=8,host=16,gpu=8");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->hosts().size(), 256u);
  EXPECT_EQ(topology->levelNames(), (std::vector<std::string>{"spine", "leaf"}));
  EXPECT_EQ(topology->domainsAt(0).size(), 2u);
  EXPECT_EQ(topology->domainsAt(1).size(), 16u);
  EXPECT_EQ(topology->gpuCount(), 2048);
  EXPECT_EQ(topology->domains()[topology->domainsAt(1)[9]].name, "spine2/leaf2");
  EXPECT_EQ(topology->hosts()[17].name, "h0018");
  EXPECT_EQ(topology->sharedLevels(0, 15), 2);
  EXPECT_EQ(topology->sharedLevels(0, 16), 1);
  EXPECT_EQ(topology->sharedLevels(0, 200), 0);
}

TEST(Synthetic, RejectsBadSpecs) {
  for (const char* bad : {"spine=2,leaf=8", "spine=0,host=4", "spine=x,host=4", "host=4,leaf=2",
                          "spine", "host=4,gpu=-1", "a=1000,b=1000,host=1000"}) {
    auto topology = syntheticTopology(bad);
    ASSERT_FALSE(topology.ok()) << bad;
    EXPECT_NE(topology.error().message().find("synthetic:"), std::string::npos);
    EXPECT_NE(topology.error().message().find("expected"), std::string::npos) << bad;
  }
}

TEST(HierarchyCsv, ReadsTheRealClosAsPaths) {
  auto topology =
      parseHierarchyCsv(readTestData("clusters/alibaba-lingjun-2023-topo.csv"), "lingjun.csv");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->hosts().size(), 847u);
  EXPECT_EQ(topology->levelNames(), (std::vector<std::string>{"DSW", "PSW", "ASW"}));
  EXPECT_EQ(topology->domainsAt(0).size(), 1u);
  EXPECT_EQ(topology->domainsAt(1).size(), 3u);
  // 48 distinct ToR labels, but 119 ToR switches once each is named by its path.
  EXPECT_EQ(topology->domainsAt(2).size(), 119u);
  EXPECT_EQ(topology->hosts()[0].gpus, 8);
  const int first = topology->hosts()[0].domains[2];
  EXPECT_EQ(topology->domains()[first].name, "G6/P10/S14");
}

TEST(HierarchyCsv, ErrorsNameFileLineAndExpectation) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : std::vector<Case>{
           {"host,rack\na,r1\nb\n", "c.csv:3: 1 fields, expected 2 as in the header"},
           {"host,rack\na,r1\na,r2\n", "c.csv:3: duplicate host 'a', expected each host once"},
           {"host,rack\na,\n", "c.csv:2: host 'a': empty rack, expected a name"},
           {"host,rack,gpus\na,r1,x\n", "c.csv:2: gpus 'x': expected a count from 0 to 1024"},
           {"host\n",
            "c.csv:1: header has 1 columns, expected a host column and at least one level"},
           {"", "c.csv: empty, expected a header and one row per host"},
           {"host,rack\n", "c.csv: no hosts, expected at least one"}}) {
    auto topology = parseHierarchyCsv(c.text, "c.csv");
    ASSERT_FALSE(topology.ok()) << c.text;
    EXPECT_EQ(topology.error().message().rfind(c.message, 0), 0u) << topology.error().message();
  }
  auto binary = parseHierarchyCsv(std::string_view("host,rack\n\0\0", 12), "c.csv");
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.error().message().find("binary"), std::string::npos);
}

TEST(HierarchyCsv, GpuColumnAndComments) {
  auto topology = parseHierarchyCsv("# racks\nhost,pod,rack,gpus\nn1,p1,r1,4\nn2,p1,r2,8\n", "t");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  EXPECT_EQ(topology->levelNames(), (std::vector<std::string>{"pod", "rack"}));
  EXPECT_EQ(topology->hosts()[0].gpus, 4);
  EXPECT_EQ(topology->gpuCount(), 12);
}

}  // namespace
}  // namespace topoplan
