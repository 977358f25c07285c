// topology/block files read back the way Slurm groups them: blocks [m*2^k, (m+1)*2^k) in file
// order form a level-k aggregate. Every domain above the blocks must own one aligned run (so no
// aggregate holds part of one domain and part of another), on irregular random trees and on the
// production Clos.
#include <gtest/gtest.h>

#include "core/result_testing.h"

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "core/atomic_file.h"
#include "placement/hierarchy_csv.h"
#include "placement/hostlist.h"
#include "report/scheduler/slurm_block_order.h"
#include "report/scheduler/slurm_export.h"

namespace topoplan {
namespace {

// The blocks of a topology.conf in file order: the hosts of each (empty for an empty block).
std::vector<std::vector<std::string>> readBlocks(const std::string& conf) {
  std::vector<std::vector<std::string>> blocks;
  std::istringstream lines(conf);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("BlockName=", 0) != 0) continue;
    const std::size_t nodes = line.find(" Nodes=");
    std::vector<std::string> hosts;
    if (nodes != std::string::npos) {
      auto expanded = expandHostlist(line.substr(nodes + 7));
      EXPECT_TRUE(expanded.ok());
      if (expanded.ok()) hosts = *expanded;
    }
    blocks.push_back(hosts);
  }
  return blocks;
}

// For every domain above the block level: the smallest aligned run (Slurm aggregate) holding all
// its blocks holds no block of another domain. Returns the violations.
std::vector<std::string> aggregatesSplittingDomains(const Topology& topology, int blockLevel,
                                                    const std::string& conf) {
  const auto blocks = readBlocks(conf);
  std::map<std::string, int> hostIndex;
  for (std::size_t h = 0; h < topology.hosts().size(); ++h)
    hostIndex[topology.hosts()[h].name] = int(h);
  std::vector<std::string> violations;
  for (int level = 0; level < blockLevel; ++level) {
    // Each block's domain at this level (-1 for an empty block).
    std::vector<int> owner(blocks.size(), -1);
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      std::set<int> domains;
      for (const auto& host : blocks[b])
        domains.insert(
            topology.hosts()[static_cast<std::size_t>(hostIndex.at(host))].domains[level]);
      EXPECT_LE(domains.size(), 1u) << "a block spans two domains";
      if (!domains.empty()) owner[b] = *domains.begin();
    }
    for (int d : topology.domainsAt(level)) {
      std::size_t lo = blocks.size(), hi = 0;
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        if (owner[b] == d) lo = std::min(lo, b), hi = std::max(hi, b);
      }
      std::size_t run = 1;
      while (lo / run != hi / run) run *= 2;
      for (std::size_t b = lo / run * run; b < std::min(blocks.size(), (lo / run + 1) * run); ++b) {
        if (owner[b] >= 0 && owner[b] != d)
          violations.push_back(topology.domains()[static_cast<std::size_t>(d)].name +
                               " shares the aggregate of blocks " + std::to_string(lo / run * run) +
                               ".. with " +
                               topology.domains()[static_cast<std::size_t>(owner[b])].name);
      }
    }
  }
  return violations;
}

// A random tree: `depth` levels above the blocks, 1 to 6 children each, 1 to 4 hosts per block,
// domains named so that name order interleaves parents.
Topology randomTree(unsigned seed, int depth) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> children(1, 6), hosts(1, 4);
  std::string csv = "host";
  for (int l = 0; l <= depth; ++l) csv += ",l" + std::to_string(l);
  csv += "\n";
  int host = 0;
  std::vector<std::string> path;
  auto walk = [&](auto& self, int level) -> void {
    if (level > depth) {
      const int n = hosts(rng);
      for (int i = 0; i < n; ++i) {
        csv += "h" + std::to_string(++host);
        for (const auto& label : path) csv += "," + label;
        csv += "\n";
      }
      return;
    }
    const int n = children(rng);
    for (int i = 0; i < n; ++i) {
      path.push_back("d" + std::to_string((i * 7 + level) % 10) + std::to_string(i));
      self(self, level + 1);
      path.pop_back();
    }
  };
  walk(walk, 0);
  return valueOrThrow<Topology>(parseHierarchyCsv(csv, "random.csv"));
}

TEST(SlurmBlockOrder, EveryDomainOwnsOneAlignedRunOnRandomTrees) {
  int padded = 0, blocks = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    const Topology topology = randomTree(seed, 1 + static_cast<int>(seed % 3));
    const int blockLevel = topology.levelCount() - 1;
    auto conf = slurmBlock(topology, {false, blockLevel, ""});
    ASSERT_TRUE(conf.ok()) << conf.error().message();
    EXPECT_EQ(aggregatesSplittingDomains(topology, blockLevel, *conf), std::vector<std::string>{})
        << "seed " << seed << "\n"
        << *conf;
    // Every host in exactly one block.
    std::multiset<std::string> seen;
    for (const auto& block : readBlocks(*conf)) seen.insert(block.begin(), block.end());
    EXPECT_EQ(seen.size(), topology.hosts().size());
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size());
    const auto order = alignedBlockOrder(topology, blockLevel);
    blocks += static_cast<int>(topology.domainsAt(blockLevel).size());
    padded += static_cast<int>(order.size());
  }
  // Padding costs slots, not hosts: bounded by 2x per level above the blocks.
  EXPECT_LE(padded, 8 * blocks);
}

TEST(SlurmBlockOrder, TheProductionClosKeepsPodsTogether) {
  auto text = readFile(TOPOPLAN_TEST_DATA "/clusters/alibaba-lingjun-2023-topo.csv");
  ASSERT_TRUE(text.ok());
  auto topology = parseHierarchyCsv(*text, "lingjun.csv");
  ASSERT_TRUE(topology.ok()) << topology.error().message();
  const int blockLevel = topology->levelCount() - 1;
  auto conf = slurmBlock(*topology, {false, blockLevel, ""});
  ASSERT_TRUE(conf.ok());
  EXPECT_EQ(aggregatesSplittingDomains(*topology, blockLevel, *conf), std::vector<std::string>{});
  // The same check catches an order that interleaves aggregation switches: blocks in name order.
  std::string byName;
  for (int d : topology->domainsAt(blockLevel)) {
    byName += "BlockName=b" + std::to_string(d) + " Nodes=" +
              compressHostlist(
                  topology->hostNames(topology->domains()[static_cast<std::size_t>(d)].hosts)) +
              "\n";
  }
  EXPECT_FALSE(aggregatesSplittingDomains(*topology, blockLevel, byName).empty());
}

}  // namespace
}  // namespace topoplan
