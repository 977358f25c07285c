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
    auto r = runRingRounds(comm, hosts, structure, config);
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
  ASSERT_EQ(rings[0].size(), 2u);
  EXPECT_EQ(rings[0][0].hosts.size(), 3u);
  EXPECT_EQ(rings[0][0].hostGbps.samples, 3u);
  EXPECT_GT(rings[0][0].hostGbps.median, 0);
}

}  // namespace
}  // namespace topoplan
