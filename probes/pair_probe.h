// The pairwise link probe over Comm: every rank pair, in rounds of disjoint pairs that run at
// the same time (schedule.h), then the suspects again, one pair at a time.
//
// How it times, per pair and size S (the lower rank initiates; clocks are never compared across
// ranks):
//   latency    ping-pong of S bytes, `iters` samples of half the round trip (one warm-up first)
//   bandwidth  the initiator posts `window` non-blocking sends of S bytes, the partner receives
//              them all and answers with a 1-byte ack; one sample is window x S / the time from
//              the first send to the ack (one warm-up window first)
// A round starts after a barrier, so pairs of one round overlap and rounds do not.
// Suspects: at the largest size a bandwidth below bwSuspectRatio x the best pair of the same
// path kind, or at the smallest size a latency above latSuspectRatio x the lowest; each is
// measured again alone and both figures are kept. With `serial`, every pair is measured alone.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/comm.h"
#include "core/link_record.h"

namespace topoplan {

struct ProbeConfig {
  std::vector<std::uint64_t> sizes = {4096, 65536, 1 << 20, 4 << 20};
  int iters = 10;
  int window = 8;
  double bwSuspectRatio = 0.93;
  double latSuspectRatio = 2.1;
  bool serial = false;
  std::string label = "probe";  // names the probe in activities and errors ("mpi probe")
};

// Measures one pair: both ranks call it, the initiator (lower rank) returns one SizeFigures per
// size, the partner an empty vector.
using PairMeasurer = std::function<Result<std::vector<SizeFigures>>(int partner, bool initiator)>;

// The measurer over `comm` itself (the `mpi` path when comm is an MpiComm).
PairMeasurer commMeasurer(Comm& comm, const ProbeConfig& config);

// Runs the rounds, gathers, picks suspects and measures them alone, with `measure` doing each
// pair. `sameHost(a, b)` tells the path kind (shared memory or network) for the suspect rule.
// `progress(done, total)` is called on every rank after each round (may be empty).
// Each round's figures are gathered when it ends, so every rank holds the same `result` and,
// after a failure, `result` holds the links of the rounds before it (the error names the round
// and the pair).
Status runPairProbe(Comm& comm, const ProbeConfig& config,
                    const std::function<bool(int, int)>& sameHost, ProbeResult& result,
                    const std::function<void(int, int)>& progress = {},
                    const PairMeasurer& measure = {});

}  // namespace topoplan
