// PairChannel: one connected pair of ranks as a transport sees it. The timed method
// (pair_probe.h) decides how many samples to take and drives the channel; each transport (MPI
// over Comm, TCP sockets, RDMA writes) only moves bytes and times its own critical section.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "core/comm.h"
#include "core/result.h"

namespace topoplan {

class PairChannel {
 public:
  virtual ~PairChannel() = default;

  // Both ranks call these around each size (a transport may synchronize or reset state there).
  virtual Status beginSize(std::uint64_t /*bytes*/) { return okStatus(); }
  virtual Status endSize() { return okStatus(); }

  // Initiator: sends `bytes`, returns the seconds until the partner's echo arrived. Partner:
  // receives `bytes` and echoes them (returns 0).
  virtual Result<double> pingPong(std::uint64_t bytes) = 0;
  // Initiator: `count` messages of `bytes` back to back, returns the seconds until the partner
  // acknowledged all of them (for one-sided writes: until their completions). Partner: receives
  // them and acknowledges (returns 0).
  virtual Result<double> stream(std::uint64_t bytes, int count) = 0;
};

// Opens the channel to `partner` (both ranks of a pair call it; the lower rank initiates).
using ChannelOpener =
    std::function<Result<std::unique_ptr<PairChannel>>(int partner, bool initiator)>;

// The channel over `comm` itself: MPI point-to-point when comm is an MpiComm. `buffer` must hold
// the largest size and outlive the channels.
ChannelOpener commChannels(Comm& comm, std::vector<std::byte>& buffer);

}  // namespace topoplan
