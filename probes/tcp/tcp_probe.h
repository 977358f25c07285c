// The `tcp` path: our own TCP socket probe between each pair, over one chosen interface — what
// the pod network costs, next to the MPI/RDMA path on the same nodes.
//
// Each rank listens on the interface's address only (port chosen by the kernel); addresses and a
// random per-job token (16 bytes from rank 0) are exchanged over Comm. For a pair, the initiator
// connects and sends a hello {magic, its rank, the token}; the partner accepts until a
// connection brings a correct hello within the deadline, dropping any other (counted, and the
// probe goes on). Every read is bounded: the hello has a fixed size and message sizes come from
// the agreed configuration, never from the peer; every connect, accept, send and receive has a
// deadline. Timing is that of the MPI path (pair_probe.h): ping-pong halves and windows of
// back-to-back messages answered by a 1-byte ack, with TCP_NODELAY; one connection per pair.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/comm.h"
#include "probes/pair_channel.h"
#include "probes/pair_probe.h"
#include "probes/tcp/net_interface.h"

namespace topoplan {

class TcpProbe {
 public:
  // Every rank calls it (collective over `comm`).
  static Result<std::unique_ptr<TcpProbe>> open(Comm& comm, const NetInterface& iface,
                                                const ProbeConfig& config, double timeoutSeconds);
  ~TcpProbe();
  TcpProbe(const TcpProbe&) = delete;
  TcpProbe& operator=(const TcpProbe&) = delete;

  // Connects each pair (the initiator connects, the partner accepts).
  ChannelOpener channels();
  int port() const { return port_; }
  // Connections dropped for a missing or wrong hello.
  int rejected() const { return rejected_; }

 private:
  struct Endpoint {
    std::uint32_t address;  // network byte order
    std::uint16_t port;
  };
  TcpProbe(int rank, const ProbeConfig& config, double timeoutSeconds)
      : rank_(rank), config_(config), timeoutSeconds_(timeoutSeconds) {}
  Result<int> connectTo(int partner);
  Result<int> acceptFrom(int partner);

  int rank_;
  ProbeConfig config_;
  double timeoutSeconds_;
  int listener_ = -1;
  int port_ = 0;
  int rejected_ = 0;
  std::vector<Endpoint> endpoints_;
  std::vector<std::uint8_t> token_;
  std::vector<std::byte> buffer_;
};

}  // namespace topoplan
