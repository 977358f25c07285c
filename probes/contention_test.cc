#include "probes/contention.h"

#include <gtest/gtest.h>

#include "core/thread_comm.h"

namespace topoplan {
namespace {

FabricStructure twoRacks(std::vector<std::string>& rankHosts) {
  FabricStructure structure;
  structure.levelNames = {"rack"};
  for (int r = 0; r < 6; ++r) {
    rankHosts.push_back("r" + std::to_string(r / 3) + "n" + std::to_string(r % 3));
    structure.hostDomains[rankHosts.back()] = {"rack" + std::to_string(r / 3)};
  }
  return structure;
}

TEST(Contention, OneRoundPerDomainEachHostOutAtOnce) {
  std::vector<std::string> hosts;
  const FabricStructure structure = twoRacks(hosts);
  const auto rounds = contentionRounds(hosts, structure);
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0].domain, "rack0");
  ASSERT_EQ(rounds[0].flows.size(), 3u);
  for (const auto& [from, to] : rounds[0].flows) {
    EXPECT_LT(from, 3) << "senders inside the domain";
    EXPECT_GE(to, 3) << "receivers outside it";
  }
  std::vector<std::vector<DomainAggregate>> aggregates(6);
  std::vector<std::vector<DomainRing>> rings(6);
  auto statuses = ThreadWorld::run(6, [&](Comm& comm) -> Status {
    std::vector<std::byte> buffer(65536);
    ProbeConfig config;
    config.sizes = {65536};
    config.sizeBudgetSeconds = 0.02;
    auto a = runContention(comm, rounds, commChannels(comm, buffer), config);
    if (!a) return a.error();
    aggregates[static_cast<std::size_t>(comm.rank())] = *a;
    auto r = runRingRounds(comm, hosts, duplexGroups(hosts, structure, {"r0n0"}), config);
    if (!r) return r.error();
    rings[static_cast<std::size_t>(comm.rank())] = *r;
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_EQ(aggregates[0].size(), 2u);
  EXPECT_EQ(aggregates[0][1].hosts, (std::vector<std::string>{"r1n0", "r1n1", "r1n2"}));
  EXPECT_EQ(aggregates[0][1].pairGbps.samples, 3u);
  EXPECT_GT(aggregates[0][0].aggregateGbps, 0);
  EXPECT_LE(aggregates[0][0].aggregateGbps, 3 * aggregates[0][0].pairGbps.max * 1.0001)
      << "all the bytes over the longest time: at most the sum of the rates";
  EXPECT_EQ(aggregates[5][1].aggregateGbps, aggregates[0][1].aggregateGbps) << "every rank agrees";
  // Both racks in a ring, then one pair across their uplinks (r0n0 suspected: r0n1 stands for
  // its rack).
  ASSERT_EQ(rings[0].size(), 3u);
  EXPECT_EQ(rings[0][0].hosts.size(), 3u);
  EXPECT_EQ(rings[0][0].hostGbps().samples, 3u);
  EXPECT_GT(rings[0][0].hostGbps().median, 0);
  EXPECT_FALSE(rings[0][1].acrossUplink);
  EXPECT_TRUE(rings[0][2].acrossUplink);
  EXPECT_EQ(rings[0][2].domain, "rack0 <-> rack1");
  EXPECT_EQ(rings[0][2].hosts, (std::vector<std::string>{"r0n1", "r1n0"}));
  ASSERT_EQ(rings[0][2].rates.size(), 2u);
  EXPECT_GT(rings[0][2].rates[0], 0);
  EXPECT_GT(rings[0][2].rates[1], 0);
  EXPECT_EQ(rings[5][2].rates, rings[0][2].rates) << "every rank agrees";
}

TEST(DuplexGroups, PairEverySiblingAndRingEachFinestDomain) {
  FabricStructure structure;
  structure.levelNames = {"pod", "rack"};
  // Two pods; pod a has three racks (an odd count: the last pairs with the first), pod b one
  // rack of one host (a ring needs two) and nothing to pair with inside b.
  const std::vector<std::pair<std::string, std::vector<std::string>>> placement = {
      {"h1", {"a", "a/r1"}}, {"h2", {"a", "a/r1"}}, {"h3", {"a", "a/r2"}},
      {"h4", {"a", "a/r3"}}, {"h5", {"a", "a/r3"}}, {"h6", {"b", "b/r1"}}};
  std::vector<std::string> hosts;
  for (const auto& [host, domains] : placement) {
    structure.hostDomains[host] = domains;
    hosts.push_back(host);
  }
  for (const char* host : {"h7", "h8", "h9"}) hosts.push_back(host);  // no domain
  // By their fastest links: h7-h9 first, then h8 (left over) with its fastest partner, h9.
  const std::map<std::pair<std::string, std::string>, double> pairGbps = {
      {{"h7", "h8"}, 1}, {{"h7", "h9"}, 5}, {{"h8", "h9"}, 2}, {{"h1", "h8"}, 9}};
  const auto groups = duplexGroups(hosts, structure, {"h4"}, pairGbps);
  std::vector<std::string> seen;
  for (const DomainRing& g : groups) {
    std::string hostList;
    for (const std::string& h : g.hosts) hostList += (hostList.empty() ? "" : ",") + h;
    seen.push_back(g.domain + "=" + hostList + (g.acrossUplink ? " across" : ""));
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"a/r1=h1,h2", "a/r3=h4,h5", "h7 <-> h9=h7,h9",
                                      "h8 <-> h9=h8,h9", "a <-> b=h1,h6 across",
                                      "a/r1 <-> a/r2=h1,h3 across", "a/r3 <-> a/r1=h5,h1 across"}));
}

TEST(DuplexGroups, UnplacedHostsPairWithHostsTheFirstPassDidNotSuspect) {
  // Five hosts and no structure (the first pass found none); n2 is suspect, and its link to n5
  // the fastest. Pairs without n2 first, fastest first: n1-n3, n4-n5; n2 is left over and takes
  // its fastest partner. Greedy by speed alone would have measured n5 against n2.
  FabricStructure structure;
  const std::vector<std::string> hosts = {"n1", "n2", "n3", "n4", "n5"};
  const std::map<std::pair<std::string, std::string>, double> pairGbps = {{{"n2", "n5"}, 9},
                                                                          {{"n1", "n3"}, 8},
                                                                          {{"n4", "n5"}, 7},
                                                                          {{"n2", "n4"}, 6},
                                                                          {{"n1", "n2"}, 5}};
  std::vector<std::string> seen;
  for (const DomainRing& g : duplexGroups(hosts, structure, {"n2"}, pairGbps))
    seen.push_back(g.domain);
  EXPECT_EQ(seen, (std::vector<std::string>{"n1 <-> n3", "n4 <-> n5", "n2 <-> n5"}));
}

}  // namespace
}  // namespace topoplan
