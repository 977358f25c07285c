// The `ib` path: RC RDMA write between each pair over ibverbs, as perftest's ib_write_lat and
// ib_write_bw measure it.
//
// Each rank opens the first RDMA device port that is ACTIVE and registers one buffer (receive,
// send and bandwidth regions of the largest size each). For a pair, both ranks create an RC queue
// pair, exchange {QP number, PSN, LID, GID, buffer address, rkey} over Comm and connect
// (INIT, RTR, RTS; InfiniBand by LID, RoCE by GID). Per size:
//   latency    ping-pong of RDMA writes: each side polls the last byte of its receive region for
//              the sequence number the other wrote there; half the round trip
//   bandwidth  the initiator posts a window of signaled RDMA writes and waits for all their
//              completions (the responder's acks): window x S / that time
// How many samples and how large a window: the timed method of pair_probe.h.
// Every wait (completions, a polled byte) has the deadline and ends on a termination signal.
// When any rank has no active port (or the build has no ibverbs), every rank waives the path.
#pragma once

#include <memory>
#include <string>

#include "core/comm.h"
#include "probes/pair_channel.h"
#include "probes/pair_probe.h"

namespace topoplan {

class RdmaProbe {
 public:
  virtual ~RdmaProbe() = default;

  // Collective over `comm`. Null with `waived` set when the path cannot run on every rank (it
  // names those ranks, and this rank's own reason when it is one of them).
  static Result<std::unique_ptr<RdmaProbe>> open(Comm& comm, const ProbeConfig& config,
                                                 double timeoutSeconds, std::string& waived);

  virtual ChannelOpener channels() = 0;
  virtual std::string port() const = 0;         // "mlx5_0:1"
  virtual std::string networkPath() const = 0;  // "net-ib" or "net-roce"
};

}  // namespace topoplan
