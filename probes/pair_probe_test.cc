#include "probes/pair_probe.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/thread_comm.h"
#include "probes/link_probe.h"
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
    if (slow && data.size() > 64) std::this_thread::sleep_for(std::chrono::milliseconds(10));
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

// A channel on a simulated link: each message takes bytes / bandwidth + latency seconds, told,
// not slept, so the budget logic is tested exactly.
class SimulatedChannel final : public PairChannel {
 public:
  SimulatedChannel(double gbps, double latencyS, bool initiator, int* messages)
      : bytesPerSecond_(gbps * 1e9),
        latency_(latencyS),
        initiator_(initiator),
        messages_(messages) {}
  Result<double> pingPong(std::uint64_t bytes) override {
    *messages_ += 2;
    return initiator_ ? 2 * message(bytes) : 0.0;
  }
  Result<double> stream(std::uint64_t bytes, int count) override {
    *messages_ += count;
    return initiator_ ? count * (static_cast<double>(bytes) / bytesPerSecond_) + 2 * latency_ : 0.0;
  }

 private:
  double message(std::uint64_t bytes) const {
    return static_cast<double>(bytes) / bytesPerSecond_ + latency_;
  }
  double bytesPerSecond_, latency_;
  bool initiator_;
  int* messages_;
};

ProbeConfig smallConfig() {
  ProbeConfig config;
  config.sizes = {64, 65536};
  config.iters = 5;
  config.minIters = 3;
  config.sizeBudgetSeconds = 5;
  config.window = 4;
  return config;
}

std::vector<std::string> ownHosts(int ranks) {
  std::vector<std::string> hosts;
  for (int r = 0; r < ranks; ++r) hosts.push_back("h" + std::to_string(r));
  return hosts;
}

LinkProbeSetup setupFor(int ranks, bool serial = false) {
  LinkProbeSetup setup;
  setup.config = smallConfig();
  setup.firstPass = allPairRounds(ranks, serial);
  setup.retest = !serial;
  setup.rankHosts = ownHosts(ranks);
  return setup;
}

TEST(LinkProbe, MeasuresEveryPairInRoundsAndMeasuresTheLowPairAgainAlone) {
  std::vector<ProbeResult> results(4);
  auto statuses = ThreadWorld::run(4, [&](Comm& comm) -> Status {
    int rounds = 0, messages = 0;
    // Every pair at 10 GB/s, but 1-2 at 1 GB/s (simulated links: exact figures).
    const ChannelOpener open = [&](int partner,
                                   bool initiator) -> Result<std::unique_ptr<PairChannel>> {
      const bool slow = std::min(comm.rank(), partner) == 1 && std::max(comm.rank(), partner) == 2;
      return std::unique_ptr<PairChannel>(
          std::make_unique<SimulatedChannel>(slow ? 1.0 : 10.0, 2e-6, initiator, &messages));
    };
    TOPOPLAN_TRY(
        runLinkProbe(comm, setupFor(4), open, results[static_cast<std::size_t>(comm.rank())],
                     [&](const std::string& phase, int, int) { rounds += phase == "round"; }));
    if (rounds != 3) return Error("progress saw " + std::to_string(rounds) + " rounds");
    return okStatus();
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  const ProbeResult& result = results[0];
  EXPECT_EQ(result.rounds, 3);
  EXPECT_EQ(result.retestRounds, 1);
  ASSERT_EQ(result.links.size(), 6u);
  for (const LinkMeasurement& link : result.links) {
    ASSERT_EQ(link.concurrent.size(), 2u);
    EXPECT_EQ(link.concurrent[1].bytes, 65536u);
    EXPECT_EQ(link.concurrent[1].bwGbps.samples, 5u) << "a fast link takes --iters samples";
    EXPECT_FALSE(link.concurrent[1].budgetLimited);
    EXPECT_GT(link.concurrent[0].latUs.median, 0.0);
    const bool slow = link.a == 1 && link.b == 2;
    // A window of 4 x 64K and an ack: the latency takes a little off the link's rate.
    EXPECT_NEAR(link.concurrent[1].bwGbps.median, slow ? 0.99 : 8.7, slow ? 0.02 : 0.1);
    if (slow) {
      EXPECT_NE(link.suspectReason.find("below 0.7 x the median of its class"), std::string::npos)
          << link.suspectReason;
      ASSERT_EQ(link.alone.size(), 2u);  // measured again, alone
    } else {
      EXPECT_TRUE(link.alone.empty()) << link.a << "-" << link.b << ": " << link.suspectReason;
    }
  }
  // Every rank holds the same result.
  EXPECT_EQ(results[3].links[2].concurrent[1].bwGbps.median,
            results[0].links[2].concurrent[1].bwGbps.median);
}

// Over a real Comm (threads): the slow pair, 10 ms a message, is measured slower than every
// other pair.
TEST(LinkProbe, OverCommTheSlowPairMeasuresSlowest) {
  std::vector<ProbeResult> results(4);
  auto statuses = ThreadWorld::run(4, [&](Comm& threadComm) -> Status {
    SlowPairComm comm(threadComm, 1, 2);
    std::vector<std::byte> buffer(65536);
    LinkProbeSetup setup = setupFor(4);
    setup.retest = false;
    return runLinkProbe(comm, setup, commChannels(comm, buffer),
                        results[static_cast<std::size_t>(comm.rank())]);
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_EQ(results[0].links.size(), 6u);
  for (const LinkMeasurement& link : results[0].links) {
    if (link.a == 1 && link.b == 2) continue;
    EXPECT_GT(link.concurrent[1].bwGbps.median, 3 * results[0].links[3].concurrent[1].bwGbps.median)
        << link.a << "-" << link.b;
  }
  EXPECT_EQ(results[0].links[3].a, 1);
  EXPECT_EQ(results[0].links[3].b, 2);
}

TEST(LinkProbe, SerialModeAndOddWorlds) {
  std::vector<ProbeResult> results(5);
  auto statuses = ThreadWorld::run(5, [&](Comm& comm) -> Status {
    std::vector<std::byte> buffer(65536);
    return runLinkProbe(comm, setupFor(5, /*serial=*/true), commChannels(comm, buffer),
                        results[static_cast<std::size_t>(comm.rank())]);
  });
  for (const Status& status : statuses) ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(results[0].rounds, 10) << "one pair a round";
  EXPECT_EQ(results[0].retestRounds, 0);
  ASSERT_EQ(results[0].links.size(), 10u);
  for (const LinkMeasurement& link : results[0].links) EXPECT_EQ(link.concurrent.size(), 2u);
}

// A pair that fails (its peer lost) in its round: every rank keeps the rounds before it, and the
// error names the round and the pair.
TEST(LinkProbe, AFailedRoundKeepsTheRoundsBeforeIt) {
  const std::vector<Round> rounds = circleRounds(4);
  std::size_t failing = 0;
  while (partnerIn(rounds[failing], 1) != 2) ++failing;
  std::vector<ProbeResult> results(4);
  std::vector<std::string> errors(4);
  ThreadWorld::run(
      4,
      [&](Comm& comm) -> Status {
        std::vector<std::byte> buffer(65536);
        const ChannelOpener inner = commChannels(comm, buffer);
        const ChannelOpener open = [&](int partner,
                                       bool initiator) -> Result<std::unique_ptr<PairChannel>> {
          if (std::min(comm.rank(), partner) == 1 && std::max(comm.rank(), partner) == 2) {
            return Error("peer lost");
          }
          return inner(partner, initiator);
        };
        LinkProbeSetup setup = setupFor(4);
        setup.config.label = "mpi probe";
        Status status =
            runLinkProbe(comm, setup, open, results[static_cast<std::size_t>(comm.rank())]);
        if (!status) errors[static_cast<std::size_t>(comm.rank())] = status.error().message();
        return status;
      },
      std::chrono::milliseconds(500));
  const std::string round =
      "mpi probe round " + std::to_string(failing + 1) + "/3, ranks 1 and 2: peer lost";
  EXPECT_EQ(errors[1], round);
  EXPECT_EQ(errors[2], round);
  // Rank 0 waited for the failed pair: for its turn of latency samples or at the round's end.
  EXPECT_EQ(errors[0].rfind("mpi probe round " + std::to_string(failing + 1) + "/3", 0), 0u)
      << errors[0];
  for (const ProbeResult& result : results) {
    EXPECT_EQ(result.rounds, 3);
    ASSERT_EQ(result.links.size(), 2 * failing);
    for (const LinkMeasurement& link : result.links) {
      EXPECT_FALSE(link.a == 1 && link.b == 2);
      EXPECT_EQ(link.concurrent.size(), 2u);
    }
  }
}

// Both ranks of a pair measure it over a SimulatedChannel; the initiator's outcome.
PairOutcome measureSimulated(double gbps, double latencyS, const ProbeConfig& config,
                             int* messages) {
  PairOutcome outcome;
  auto statuses = ThreadWorld::run(2, [&](Comm& comm) -> Status {
    int count = 0;
    SimulatedChannel channel(gbps, latencyS, comm.rank() == 0, &count);
    auto measured = measurePair(comm, channel, 1 - comm.rank(), comm.rank() == 0, config);
    if (!measured) return measured.error();
    if (comm.rank() == 0) {
      outcome = *measured;
      *messages = count;
    }
    return okStatus();
  });
  for (const Status& status : statuses) EXPECT_TRUE(status.ok()) << status.error().message();
  return outcome;
}

TEST(PairProbe, AFastLinkTakesEveryIteration) {
  ProbeConfig config;  // 4K .. 4M, 10 iterations, budget 0.5 s
  int messages = 0;
  const PairOutcome fast = measureSimulated(50.0, 2e-6, config, &messages);  // 400 Gb/s
  ASSERT_EQ(fast.sizes.size(), 4u);
  EXPECT_TRUE(fast.skippedSizes.empty());
  for (const SizeFigures& size : fast.sizes) {
    EXPECT_EQ(size.latUs.samples, 10u);
    EXPECT_EQ(size.bwGbps.samples, 10u);
    EXPECT_EQ(size.window, 8);
    EXPECT_FALSE(size.budgetLimited);
  }
  EXPECT_NEAR(fast.sizes.back().bwGbps.median, 50.0, 0.5);
  EXPECT_NEAR(fast.sizes.front().latUs.median, 2.0 + 4096 / 50e3, 0.01);
}

// The discovery pass measures every size it asks for: no skip predicted from the size below.
TEST(PairProbe, WithoutSkippingEverySizeIsMeasured) {
  ProbeConfig config;
  config.sizes = {8, 65536};
  config.iters = 3;
  config.minIters = 1;
  config.skipSlowSizes = false;
  // 5 MB/s with 2 ms latency: 8 bytes predict 64K at 4 KB/s, far beyond the budget.
  int messages = 0;
  const PairOutcome slow = measureSimulated(0.005, 2e-3, config, &messages);
  EXPECT_TRUE(slow.skippedSizes.empty());
  ASSERT_EQ(slow.sizes.size(), 2u);
  EXPECT_NEAR(slow.sizes[1].bwGbps.median, 0.005, 0.002);
  config.skipSlowSizes = true;
  EXPECT_EQ(measureSimulated(0.005, 2e-3, config, &messages).skippedSizes,
            std::vector<std::uint64_t>{65536});
}

TEST(PairProbe, ASlowLinkIsMeasuredWithinTheBudgetAndItsLargeSizesSkipped) {
  ProbeConfig config;
  int messages = 0;
  // 5 MB/s: a 4K message takes 0.8 ms, 64K 13 ms, 1M 0.21 s.
  const PairOutcome slow = measureSimulated(0.005, 50e-6, config, &messages);
  ASSERT_EQ(slow.sizes.size(), 2u) << "1M would need ~2.5 s for its minimum samples";
  EXPECT_EQ(slow.skippedSizes, (std::vector<std::uint64_t>{1 << 20, 4 << 20}));
  const SizeFigures& k64 = slow.sizes[1];
  EXPECT_TRUE(k64.budgetLimited);
  EXPECT_GE(k64.latUs.samples, 3u);
  EXPECT_LT(k64.latUs.samples, 10u);
  EXPECT_GE(k64.bwGbps.samples, 3u);
  EXPECT_LT(k64.window, 8) << "a window that lets the minimum samples fit the budget";
  EXPECT_NEAR(k64.bwGbps.median, 0.005, 0.001);
  // Simulated time spent: at most the budget per size, plus one warm-up of each kind.
  double seconds = 0;
  for (const SizeFigures& size : slow.sizes) {
    seconds += size.latUs.samples * 2 * size.latUs.median * 1e-6 +
               size.bwGbps.samples * size.window * size.bytes / (size.bwGbps.median * 1e9);
  }
  EXPECT_LT(seconds, 2 * config.sizeBudgetSeconds);
  const std::string why = skipReason(slow.sizes.back(), slow.skippedSizes, config);
  EXPECT_NE(why.find("sizes from 1M skipped"), std::string::npos) << why;
  EXPECT_NE(why.find("more than 4 x the size budget of 0.5 s"), std::string::npos) << why;
  EXPECT_LE(config.pairSecondsAtMost(), 8.0);
}

TEST(PairProbe, MinItersIsAFloorEvenBeyondTheBudget) {
  ProbeConfig config;
  config.sizes = {1 << 20};
  config.sizeBudgetSeconds = 0.01;
  int messages = 0;
  const PairOutcome outcome = measureSimulated(0.01, 1e-4, config, &messages);  // 0.1 s each
  ASSERT_EQ(outcome.sizes.size(), 1u) << "the first size is never skipped";
  EXPECT_EQ(outcome.sizes[0].latUs.samples, 3u);
  EXPECT_EQ(outcome.sizes[0].bwGbps.samples, 3u);
  EXPECT_EQ(outcome.sizes[0].window, 1);
  EXPECT_TRUE(outcome.sizes[0].budgetLimited);
  // 3 warm-ups + 3 ping-pongs (2 messages each), a warm-up + 3 single messages.
  EXPECT_EQ(messages, 2 * 6 + 1 + 3);
}

}  // namespace
}  // namespace topoplan
