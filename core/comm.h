// Comm: the small point-to-point interface that algorithms and probes are written against.
//
// Implementations: ThreadComm (in-process, one thread per rank, for tests) and MpiComm
// (probes/transport). Messages between a pair with the same tag arrive in the order they were
// sent; receives match in the order they were posted, as in MPI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace topoplan {

// A pending non-blocking operation; complete it with Comm::wait. A default Request is already
// complete.
struct Request {
  std::int64_t id = -1;
};

class Comm {
 public:
  virtual ~Comm() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // What the caller is doing, in words ("mpi probe, round 3/7, with rank 2"); a transport that
  // reports a stalled job quotes it.
  void setActivity(std::string activity) { activity_ = std::move(activity); }
  const std::string& activity() const { return activity_; }

  // Non-blocking point-to-point: the buffer must stay valid (and, for sends, unchanged) until
  // wait() returns.
  virtual Result<Request> isend(int peer, std::span<const std::byte> data, int tag) = 0;
  virtual Result<Request> irecv(int peer, std::span<std::byte> data, int tag) = 0;
  virtual Status wait(Request& request) = 0;
  // Waits like wait(), for something that may take long while others work (a turn, a control
  // message): a transport may give up the core between its checks. By default, wait().
  virtual Status waitQuietly(Request& request) { return wait(request); }

  // Blocking forms built on the above.
  Status send(int peer, std::span<const std::byte> data, int tag);
  Status recv(int peer, std::span<std::byte> data, int tag);
  Status recvQuietly(int peer, std::span<std::byte> data, int tag);
  Status sendrecv(int sendPeer, std::span<const std::byte> sendData, int recvPeer,
                  std::span<std::byte> recvData, int tag);
  Status waitAll(std::vector<Request>& requests);

  // Collectives. The defaults use point-to-point (binomial trees and a ring); an
  // implementation may override them with native ones.
  virtual Status barrier();
  virtual Status broadcast(std::span<std::byte> data, int root);
  // Gathers `mine` from every rank into `all` (size() * mine.size() bytes, ordered by rank).
  virtual Status allgather(std::span<const std::byte> mine, std::span<std::byte> all);

  // Typed conveniences.
  template <typename T>
  Status broadcastValue(T& value, int root) {
    return broadcast(std::as_writable_bytes(std::span<T>(&value, 1)), root);
  }
  template <typename T>
  Result<std::vector<T>> allgatherValues(const std::vector<T>& mine) {
    std::vector<T> all(mine.size() * static_cast<std::size_t>(size()));
    Status status = allgather(std::as_bytes(std::span<const T>(mine)),
                              std::as_writable_bytes(std::span<T>(all)));
    if (!status) return status.error();
    return all;
  }

 protected:
  // Tags at or above this value are reserved for the default collectives.
  static constexpr int kCollectiveTag = 30000;  // below MPI's guaranteed TAG_UB (32767)

 private:
  std::string activity_;
};

}  // namespace topoplan
