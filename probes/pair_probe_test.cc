#include "probes/pair_probe.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/thread_comm.h"
#include "probes/schedule.h"

namespace topoplan {
namespace {

// A Comm that makes one pair's large messages slow, like a degraded cable.
class SlowPairComm final : public Comm {
 public:
  SlowPairComm(Comm& inner, int slowA, int slowB) : inner_(inner), a_(slowA), b_(slowB) {}
  int rank() const override { return inner_.rank(); }
  int size() const override { return inner_.size(); }
  Result<Request> isend(int peer, std::span<const std::byte> data, int tag) override {
    const bool slow = (rank() == a_ && peer == b_) || (rank() == b_ && peer == a_);
    if (slow && data.size() > 1) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return inner_.isend(peer, data, tag);
  }
  Result<Request> irecv(int peer, std::span<std::byte> data, int tag) override {
    return inner_.irecv(peer, data, tag);
  }
  Status wait(Request& request) override { return inner_.wait(request); }

 private:
  Comm& inner_;
  int a_, b_;
};

ProbeConfig smallConfig() {
  ProbeConfig config;
  config.sizes = {64, 65536};
  config.iters = 5;
  config.window = 4;
  return config;
}

TEST(PairProbe, MeasuresEveryPairInRoundsAndReMeasuresTheSlowPair) {
  std::vector<ProbeResult> results(4);
  auto statuses = ThreadWorld::run(4, [&](Comm& threadComm) -> Status {
    SlowPairComm comm(threadComm, 1, 2);
    int rounds = 0;
    TOPOPLAN_TRY(runPairProbe(
        comm, smallConfig(), [](int, int) { return false; },
        results[static_cast<std::size_t>(comm.rank())], [&](int, int) { ++rounds; }));
    if (rounds != 3) return Error("progress saw " + std::to_string(rounds) + " rounds");
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  const ProbeResult& result = results[0];
  EXPECT_EQ(result.rounds, 3);
  double bestOther = 0;
  for (const LinkMeasurement& link : result.links) {
    if (!(link.a == 1 && link.b == 2))
      bestOther = std::max(bestOther, link.concurrent[1].bwGbps.median);
  }
  ASSERT_EQ(result.links.size(), 6u);
  for (const LinkMeasurement& link : result.links) {
    ASSERT_EQ(link.concurrent.size(), 2u);
    EXPECT_EQ(link.concurrent[1].bytes, 65536u);
    EXPECT_EQ(link.concurrent[1].bwGbps.samples, 5u);
    EXPECT_GT(link.concurrent[1].bwGbps.median, 0.0);
    EXPECT_GT(link.concurrent[0].latUs.median, 0.0);
    const bool slow = link.a == 1 && link.b == 2;
    if (slow) {
      EXPECT_NE(link.suspectReason.find("bandwidth"), std::string::npos) << link.suspectReason;
      ASSERT_EQ(link.serial.size(), 2u);  // measured again, alone
      EXPECT_LT(link.serial[1].bwGbps.median, 0.5 * bestOther);
    }
  }
  // Every rank holds the same result.
  EXPECT_EQ(results[3].links[2].concurrent[1].bwGbps.median,
            results[0].links[2].concurrent[1].bwGbps.median);
}

TEST(PairProbe, SerialModeAndOddWorlds) {
  std::vector<ProbeResult> results(5);
  auto statuses = ThreadWorld::run(5, [&](Comm& comm) -> Status {
    ProbeConfig config = smallConfig();
    config.serial = true;
    return runPairProbe(
        comm, config, [](int, int) { return true; },
        results[static_cast<std::size_t>(comm.rank())]);
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(results[0].rounds, 5);
  ASSERT_EQ(results[0].links.size(), 10u);
  for (const LinkMeasurement& link : results[0].links) {
    EXPECT_TRUE(link.concurrent.empty());
    EXPECT_EQ(link.serial.size(), 2u);
  }
}

// A pair that fails (its peer lost) in its round: every rank keeps the rounds before it, and the
// error names the round and the pair.
TEST(PairProbe, AFailedRoundKeepsTheRoundsBeforeIt) {
  const std::vector<Round> rounds = circleRounds(4);
  std::size_t failing = 0;
  while (partnerIn(rounds[failing], 1) != 2) ++failing;
  std::vector<ProbeResult> results(4);
  std::vector<std::string> errors(4);
  ThreadWorld::run(
      4,
      [&](Comm& comm) -> Status {
        PairMeasurer measure = [&, inner = commMeasurer(comm, smallConfig())](
                                   int partner,
                                   bool initiator) -> Result<std::vector<SizeFigures>> {
          if (std::min(comm.rank(), partner) == 1 && std::max(comm.rank(), partner) == 2) {
            return Error("peer lost");
          }
          return inner(partner, initiator);
        };
        ProbeConfig config = smallConfig();
        config.label = "mpi probe";
        Status status = runPairProbe(
            comm, config, [](int, int) { return true; },
            results[static_cast<std::size_t>(comm.rank())], {}, measure);
        if (!status) errors[static_cast<std::size_t>(comm.rank())] = status.error().message();
        return status;
      },
      std::chrono::milliseconds(500));
  const std::string round =
      "mpi probe round " + std::to_string(failing + 1) + "/3, ranks 1 and 2: peer lost";
  EXPECT_EQ(errors[1], round);
  EXPECT_EQ(errors[2], round);
  EXPECT_NE(errors[0].find("gathering its figures"), std::string::npos) << errors[0];
  for (const ProbeResult& result : results) {
    EXPECT_EQ(result.rounds, 3);
    ASSERT_EQ(result.links.size(), 2 * failing);
    for (const LinkMeasurement& link : result.links) {
      EXPECT_FALSE(link.a == 1 && link.b == 2);
      EXPECT_EQ(link.concurrent.size(), 2u);
    }
  }
}

}  // namespace
}  // namespace topoplan
