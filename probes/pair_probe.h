// The timed measurement of one pair, over any transport (pair_channel.h).
//
// Latency first: the smallest size's ping-pongs (one warm-up, then as many as fit in half the
// size budget, at least --min-iters, at most --iters) are taken by the pairs of a round one pair
// at a time, passing a turn from initiator to initiator while the others wait without holding a
// core; the round's bandwidth starts only when every pair has its latency (the caller's barrier).
// A latency is a property of the path: other pairs' traffic and the CPU they use (many ranks
// share a machine's cores in a simulated cluster) stay out of it.
// Then per size S, ascending (the lower rank initiates and decides; clocks are never compared
// across ranks; its decisions reach the partner as small control messages outside the timed
// regions), with the other pairs of the round:
//   skip       from the second size on: when the figures of the size below predict that this
//              size's minimum samples would take more than kSkipFactor x the size budget (a very
//              slow link), S and every larger size are skipped, and the link says so
//   latency    (the larger sizes, for the size sweep) one warm-up ping-pong of S bytes, which
//              also predicts the time of one; then as many timed ping-pongs as fit in half the
//              size budget, at least --min-iters and at most --iters; a sample is half the
//              round trip
//   bandwidth  one warm-up message of S bytes answered by an ack predicts the time of one; the
//              window (messages per sample) is what lets --min-iters samples fit in half the
//              budget, 1 to --window; then as many samples as fit, at least --min-iters and at
//              most --iters; a sample is window x S / the time from the first send to the ack
// A size that got fewer than --iters samples is marked budget-limited. So a pair takes at most
// about sizes x budget on a healthy link, and a slow link costs at most kSkipFactor x budget per
// size before its larger sizes are skipped: a probe measures a bad link instead of dying on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/comm.h"
#include "core/link_record.h"
#include "probes/pair_channel.h"

namespace topoplan {

struct ProbeConfig {
  std::vector<std::uint64_t> sizes = {4096, 65536, 1 << 20, 4 << 20};
  int iters = 10;                  // samples per size and series, at most
  int minIters = 3;                // samples per size and series, at least
  double sizeBudgetSeconds = 0.5;  // per pair and size: half for latency, half for bandwidth
  int window = 8;                  // messages per bandwidth sample, at most
  std::string label = "probe";     // names the probe in activities and errors ("mpi probe")
  // false: every size is measured (the discovery pass, whose 8-byte size says nothing of the
  // time of the next one).
  bool skipSlowSizes = true;

  // The most a size may cost on a slow link before the larger ones are skipped.
  static constexpr double kSkipFactor = 4;
  // The longest one pair may take (every size at its skip limit); the default deadline of a
  // wait follows from it.
  double pairSecondsAtMost() const;
};

// What one pair's measurement gives: one SizeFigures per measured size, ascending.
struct PairOutcome {
  std::vector<SizeFigures> sizes;
  std::vector<std::uint64_t> skippedSizes;
};

// Whose turn the initiator waits for before its latency samples (-1: it goes first), and to whom
// it passes the turn (-1: it is last).
struct LatencyTurn {
  int waitFor = -1;
  int passTo = -1;
};

// Both ranks of a pair call these with the same config; the initiator (lower rank) returns the
// figures, the partner nothing. Control messages travel over `control`.
// The smallest size's latency, in turn.
Result<SampleStats> measureLatency(Comm& control, PairChannel& channel, int partner, bool initiator,
                                   const ProbeConfig& config, const LatencyTurn& turn);
// Every size, the smallest with the latency measured before.
Result<PairOutcome> measureSizes(Comm& control, PairChannel& channel, int partner, bool initiator,
                                 const ProbeConfig& config, const SampleStats& smallestLatency);
// Both, for a pair alone.
Result<PairOutcome> measurePair(Comm& control, PairChannel& channel, int partner, bool initiator,
                                const ProbeConfig& config);

// Why a link's larger sizes were skipped, from the last size it measured.
std::string skipReason(const SizeFigures& last, const std::vector<std::uint64_t>& skipped,
                       const ProbeConfig& config);

}  // namespace topoplan
