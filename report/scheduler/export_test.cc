#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <cctype>
#include <set>

#include "placement/hierarchy_csv.h"
#include "placement/synthetic.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/slurm_apply.h"
#include "report/scheduler/slurm_export.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

bool onlyFrom(const std::string& text, const std::string& extras) {
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && extras.find(c) == std::string::npos)
      return false;
  }
  return true;
}

TEST(ExportNames, PathsBecomeReadableNames) {
  const std::vector<std::string> paths = {"G6/P10/S14", "spine1", "Rack_3/leaf.2"};
  EXPECT_EQ(rewriteNames(paths, labelValueRule()),
            (std::vector<std::string>{"G6.P10.S14", "spine1", "Rack_3.leaf.2"}));
  EXPECT_EQ(rewriteNames(paths, objectNameRule()),
            (std::vector<std::string>{"g6-p10-s14", "spine1", "rack-3-leaf-2"}));
  EXPECT_EQ(rewriteNames(paths, slurmNameRule()),
            (std::vector<std::string>{"G6.P10.S14", "spine1", "Rack_3.leaf.2"}));
}

TEST(ExportNames, HostileNamesComeOutInTheAlphabetAndDistinct) {
  const std::vector<std::string> hostile = {"$(touch /tmp/x)",
                                            "a b'c\"d",
                                            "line\nbreak",
                                            "`id`",
                                            "; rm -rf /",
                                            "yes",
                                            "- x: y",
                                            "#c",
                                            "",
                                            std::string(100, 'z'),
                                            std::string(100, 'z') + "1",
                                            "a/b",
                                            "a.b"};
  for (const NameRule& rule : {labelValueRule(), objectNameRule(), slurmNameRule()}) {
    const auto names = rewriteNames(hostile, rule);
    std::set<std::string> distinct(names.begin(), names.end());
    EXPECT_EQ(distinct.size(), hostile.size()) << rule.what;
    for (const std::string& name : names) {
      EXPECT_FALSE(name.empty());
      EXPECT_LE(name.size(), rule.maxLength) << name;
      EXPECT_TRUE(onlyFrom(name, rule.extras)) << name;
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(name.front())) &&
                  std::isalnum(static_cast<unsigned char>(name.back())))
          << name;
    }
    // Deterministic, and "a/b" vs "a.b" collide as label values: both get a hash suffix.
    EXPECT_EQ(names, rewriteNames(hostile, rule));
  }
  const auto values = rewriteNames({"a/b", "a.b"}, labelValueRule());
  EXPECT_NE(values[0], values[1]);
  EXPECT_EQ(values[0].rfind("a.b-", 0), 0u) << values[0];
}

TEST(ExportNames, HostsAreCheckedNeverRenamed) {
  EXPECT_TRUE(checkKubernetesHostNames({"node-01", "gpu.rack1.example"}).ok());
  EXPECT_TRUE(checkSlurmHostNames({"Node_01", "gpu.rack1"}).ok());
  for (const char* bad : {"Node_01", "$(reboot)", "a b", "-a", "a..b", "a\nb", ""}) {
    auto status = checkKubernetesHostNames({"ok", bad});
    ASSERT_FALSE(status.ok()) << bad;
    EXPECT_NE(status.error().message().find("cannot be a Kubernetes node name"), std::string::npos);
  }
  auto status = checkSlurmHostNames({"n[1-2]"});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("'n[1-2]' cannot be a Slurm node name"),
            std::string::npos);
  status = checkKubernetesHostNames({"a\nb"});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("'a\\x0ab'"), std::string::npos)
      << status.error().message();
}

TEST(YamlEmit, StringsStayStringsWhateverTheyHold) {
  nlohmann::ordered_json doc = {
      {"plain", "yes"},      {"null", "null"},    {"number", "0x10"}, {"syntax", "- x: y # z"},
      {"quote", "a\"b'c\\"}, {"newline", "a\nb"}, {"count", 3},       {"ok", true}};
  const std::string text = yamlDocuments({doc}, "two\nlines\rhere");
  EXPECT_EQ(text.rfind("# two\n# lines?here\n---\n", 0), 0u) << text;
  YAML::Node parsed = YAML::Load(text);
  for (const auto& [key, value] : doc.items()) {
    if (!value.is_string()) continue;
    EXPECT_EQ(parsed[key].Tag(), "!") << key;  // a quoted scalar: never resolved to bool or int
    EXPECT_EQ(parsed[key].as<std::string>(), value.get<std::string>()) << key;
  }
  EXPECT_EQ(parsed["count"].as<int>(), 3);
  EXPECT_TRUE(parsed["ok"].as<bool>());
}

TEST(SlurmExport, TreeHasASwitchPerDomain) {
  auto topology = syntheticTopology("spine=2,leaf=2,host=3,gpu=8");
  ASSERT_TRUE(topology.ok());
  auto conf = slurmTree(*topology, {false, -1, "from a test"});
  ASSERT_TRUE(conf.ok()) << conf.error().message();
  EXPECT_EQ(*conf,
            "# from a test\n"
            "SwitchName=spine1.leaf1 Nodes=h[0001-0003]\n"
            "SwitchName=spine1.leaf2 Nodes=h[0004-0006]\n"
            "SwitchName=spine2.leaf1 Nodes=h[0007-0009]\n"
            "SwitchName=spine2.leaf2 Nodes=h[0010-0012]\n"
            "SwitchName=spine1 Switches=spine1.leaf[1-2]\n"
            "SwitchName=spine2 Switches=spine2.leaf[1-2]\n"
            "SwitchName=root Switches=spine[1-2]\n");
  auto yaml = slurmTree(*topology, {true, -1, ""});
  ASSERT_TRUE(yaml.ok());
  YAML::Node parsed = YAML::Load(*yaml);
  EXPECT_EQ(parsed[0]["topology"].as<std::string>(), "topoplan");
  EXPECT_EQ(parsed[0]["tree"]["switches"].size(), 7u);
  EXPECT_EQ(parsed[0]["tree"]["switches"][5]["children"].as<std::string>(), "spine2.leaf[1-2]");
}

// The script's data lines, as bash would read them back: NAME='...' with '\'' for a quote.
std::string assigned(const std::string& script, const std::string& name) {
  const std::size_t at = script.find("\n" + name + "='");
  if (at == std::string::npos) return "<missing>";
  std::string value;
  for (std::size_t i = at + name.size() + 3; i < script.size(); ++i) {
    if (script.compare(i, 4, "'\\''") == 0) {
      value += '\'';
      i += 3;
    } else if (script[i] == '\'') {
      break;
    } else {
      value += script[i];
    }
  }
  return value;
}

TEST(SlurmApply, CarriesTheTreeTheDegradedHostsAndTheirEvidenceQuoted) {
  auto topology = syntheticTopology("rack=2,host=2,gpu=8");
  ASSERT_TRUE(topology.ok());
  const std::vector<Finding> degraded = {{"h0002", "it's slow\nvery"}, {"h0002", "again"}};
  SlurmApplyOptions options{false, "from a test", "sbatch -N 2", {{"rack2", "uplink slow"}}};
  auto script = slurmApplyScript(*topology, degraded, options);
  ASSERT_TRUE(script.ok()) << script.error().message();
  EXPECT_EQ(script->rfind("#!/bin/bash\n# from a test\n", 0), 0u);
  EXPECT_NE(script->find("# for the plan: sbatch -N 2\n"), std::string::npos);
  EXPECT_NE(script->find("# not expressed in Slurm: rack2: uplink slow\n"), std::string::npos);
  EXPECT_NE(script->find("\nmode=drain\n"), std::string::npos);
  EXPECT_NE(script->find("\nswitches=3\n"), std::string::npos);
  EXPECT_EQ(assigned(*script, "hosts"), "h0001 h0002 h0003 h0004");
  // Once per host, on one line, the quote kept.
  EXPECT_EQ(assigned(*script, "degraded"), "h0002|topoplan: degraded: it's slow very\n");
  auto tree = slurmTree(*topology, {false, -1, "from a test"});
  ASSERT_TRUE(tree.ok());
  EXPECT_EQ(assigned(*script, "topology") + "\n", *tree);
  EXPECT_NE(tree->find("SwitchName=root Switches=rack[1-2]\n"), std::string::npos) << *tree;

  options.weight = true;
  auto weighted = slurmApplyScript(*topology, degraded, options);
  ASSERT_TRUE(weighted.ok());
  EXPECT_NE(weighted->find("\nmode=weight\n"), std::string::npos);
  EXPECT_NE(weighted->find("node weight 1000000"), std::string::npos);

  auto unknown = slurmApplyScript(*topology, {{"h0009", "slow"}}, options);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("'h0009' is not a host"), std::string::npos);
}

TEST(SlurmExport, BlocksAndBlockSizes) {
  auto topology = syntheticTopology("spine=2,leaf=2,host=4,gpu=8");
  ASSERT_TRUE(topology.ok());
  auto conf = slurmBlock(*topology, {false, -1, ""});
  ASSERT_TRUE(conf.ok());
  EXPECT_NE(conf->find("BlockName=spine2.leaf2 Nodes=h[0013-0016]\n"), std::string::npos);
  EXPECT_NE(conf->find("BlockSizes=4,8,16\n"), std::string::npos) << *conf;
  auto spines = slurmBlock(*topology, {false, 0, ""});
  ASSERT_TRUE(spines.ok());
  EXPECT_NE(spines->find("BlockName=spine1 Nodes=h[0001-0008]\n"), std::string::npos);
  EXPECT_NE(spines->find("BlockSizes=8,16\n"), std::string::npos);
}

TEST(SlurmExport, SbatchLineForAGang) {
  auto topology = syntheticTopology("spine=2,leaf=2,host=4,gpu=8");
  ASSERT_TRUE(topology.ok());
  EXPECT_EQ(sbatchLine(*topology, {0, 1, 4, 5}, false, -1, 300),
            "sbatch -N 4 --nodelist=h[0001-0002,0005-0006] --switches=2@5:00");
  EXPECT_EQ(sbatchLine(*topology, {0, 1, 4, 5}, false, -1, 90),
            "sbatch -N 4 --nodelist=h[0001-0002,0005-0006] --switches=2@1:30");
  EXPECT_EQ(sbatchLine(*topology, {0, 1, 4, 5}, true, -1, 300),
            "sbatch -N 4 --nodelist=h[0001-0002,0005-0006] --segment=2");
  EXPECT_EQ(sbatchLine(*topology, {0, 1, 2, 4}, true, -1, 300),
            "sbatch -N 4 --nodelist=h[0001-0003,0005] --segment=1");
  EXPECT_EQ(sbatchLine(*topology, {0, 1, 2, 4}, true, 0, 300),
            "sbatch -N 4 --nodelist=h[0001-0003,0005] --segment=4");
  EXPECT_NE(sbatchNote(false).find("max_switch_wait"), std::string::npos);
}

TEST(SlurmExport, RefusesHostsSlurmCannotName) {
  auto topology = parseHierarchyCsv("host,leaf\nn[1],a\nok,a\n", "t.csv");
  ASSERT_TRUE(topology.ok());
  EXPECT_FALSE(slurmTree(*topology, {}).ok());
  EXPECT_FALSE(slurmBlock(*topology, {}).ok());
}

}  // namespace
}  // namespace topoplan
