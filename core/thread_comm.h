// ThreadComm: an in-process Comm, one thread per rank, meeting in shared mailboxes.
//
// A send copies the data into the destination's mailbox, but waiting on it returns only once the
// receiver has taken the message: the strictest completion MPI allows (like MPI_Ssend, or any
// large message under a rendezvous protocol), so an algorithm that would deadlock over MPI
// deadlocks here too. A receive completes when the matching message (same source and tag, in
// posting order) has arrived. A wait longer than the world's timeout fails instead of hanging.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

#include "core/comm.h"

namespace topoplan {

class ThreadWorld {
 public:
  explicit ThreadWorld(int size, std::chrono::milliseconds timeout = std::chrono::seconds(60));

  int size() const { return static_cast<int>(mailboxes_.size()); }
  std::chrono::milliseconds timeout() const { return timeout_; }

  // Runs `body` on `size` threads, each with its own ThreadComm; returns each rank's status.
  static std::vector<Status> run(int size, const std::function<Status(Comm&)>& body,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(60));

 private:
  friend class ThreadComm;
  // Key: (source rank, tag, sequence number of that (source, tag) stream).
  using Key = std::tuple<int, int, std::uint64_t>;
  struct Mailbox {
    std::mutex mutex;
    std::condition_variable changed;  // a message arrived or was taken
    std::map<Key, std::vector<std::byte>> messages;
  };
  std::vector<std::unique_ptr<Mailbox>> mailboxes_;
  std::chrono::milliseconds timeout_;
};

class ThreadComm final : public Comm {
 public:
  ThreadComm(ThreadWorld& world, int rank) : world_(world), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return world_.size(); }

  Result<Request> isend(int peer, std::span<const std::byte> data, int tag) override;
  Result<Request> irecv(int peer, std::span<std::byte> data, int tag) override;
  Status wait(Request& request) override;

 private:
  struct Pending {
    int peer;  // the destination of a send, the source of a receive
    ThreadWorld::Key key;
    std::span<std::byte> buffer;  // receives only
    bool isSend;
  };
  Status waitSend(const Pending& send);
  Status waitRecv(const Pending& recv);
  Status checkPeer(int peer, const char* operation) const;

  ThreadWorld& world_;
  int rank_;
  std::map<std::pair<int, int>, std::uint64_t> sendSequence_;  // (dest, tag) -> next
  std::map<std::pair<int, int>, std::uint64_t> recvSequence_;  // (source, tag) -> next
  std::map<std::int64_t, Pending> pending_;
  std::int64_t nextRequest_ = 0;
};

}  // namespace topoplan
