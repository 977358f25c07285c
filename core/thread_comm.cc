#include "core/thread_comm.h"

#include <cstring>
#include <string>
#include <thread>

namespace topoplan {

ThreadWorld::ThreadWorld(int size, std::chrono::milliseconds timeout) : timeout_(timeout) {
  TOPOPLAN_CHECK(size >= 1, "a ThreadWorld needs at least one rank");
  for (int i = 0; i < size; ++i) mailboxes_.push_back(std::make_unique<Mailbox>());
}

std::vector<Status> ThreadWorld::run(int size, const std::function<Status(Comm&)>& body,
                                     std::chrono::milliseconds timeout) {
  ThreadWorld world(size, timeout);
  std::vector<Status> statuses(static_cast<std::size_t>(size));
  std::vector<std::thread> threads;
  for (int rank = 0; rank < size; ++rank) {
    threads.emplace_back([&world, &body, &statuses, rank] {
      ThreadComm comm(world, rank);
      statuses[static_cast<std::size_t>(rank)] = body(comm);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return statuses;
}

Status ThreadComm::checkPeer(int peer, const char* operation) const {
  if (peer < 0 || peer >= size()) {
    return Error(std::string(operation) + ": peer rank " + std::to_string(peer) +
                 " outside the world of " + std::to_string(size()) + " ranks");
  }
  return okStatus();
}

Result<Request> ThreadComm::isend(int peer, std::span<const std::byte> data, int tag) {
  TOPOPLAN_TRY(checkPeer(peer, "isend"));
  const ThreadWorld::Key key{rank_, tag, sendSequence_[{peer, tag}]++};
  ThreadWorld::Mailbox& box = *world_.mailboxes_[static_cast<std::size_t>(peer)];
  {
    std::lock_guard lock(box.mutex);
    box.messages.emplace(key, std::vector<std::byte>(data.begin(), data.end()));
  }
  box.changed.notify_all();
  const std::int64_t id = nextRequest_++;
  pending_.emplace(id, Pending{peer, key, {}, true});
  return Request{id};
}

Result<Request> ThreadComm::irecv(int peer, std::span<std::byte> data, int tag) {
  TOPOPLAN_TRY(checkPeer(peer, "irecv"));
  const ThreadWorld::Key key{peer, tag, recvSequence_[{peer, tag}]++};
  const std::int64_t id = nextRequest_++;
  pending_.emplace(id, Pending{peer, key, data, false});
  return Request{id};
}

Status ThreadComm::wait(Request& request) {
  if (request.id < 0) return okStatus();
  auto it = pending_.find(request.id);
  TOPOPLAN_CHECK(it != pending_.end(), "wait on an unknown request");
  const Pending pending = it->second;
  pending_.erase(it);
  request.id = -1;
  return pending.isSend ? waitSend(pending) : waitRecv(pending);
}

Status ThreadComm::waitSend(const Pending& send) {
  ThreadWorld::Mailbox& box = *world_.mailboxes_[static_cast<std::size_t>(send.peer)];
  std::unique_lock lock(box.mutex);
  const bool taken = box.changed.wait_for(lock, world_.timeout(),
                                          [&] { return box.messages.count(send.key) == 0; });
  if (taken) return okStatus();
  return Error("rank " + std::to_string(rank_) + ": rank " + std::to_string(send.peer) +
               " did not receive a message (tag " + std::to_string(std::get<1>(send.key)) +
               ") within " + std::to_string(world_.timeout().count()) + " ms");
}

Status ThreadComm::waitRecv(const Pending& recv) {
  ThreadWorld::Mailbox& box = *world_.mailboxes_[static_cast<std::size_t>(rank_)];
  std::unique_lock lock(box.mutex);
  const bool arrived = box.changed.wait_for(lock, world_.timeout(),
                                            [&] { return box.messages.count(recv.key) > 0; });
  if (!arrived) {
    return Error("rank " + std::to_string(rank_) + ": no message from rank " +
                 std::to_string(recv.peer) + " (tag " + std::to_string(std::get<1>(recv.key)) +
                 ") within " + std::to_string(world_.timeout().count()) + " ms");
  }
  auto message = box.messages.find(recv.key);
  std::vector<std::byte> data = std::move(message->second);
  box.messages.erase(message);
  lock.unlock();
  box.changed.notify_all();  // the sender may be waiting for its message to be taken
  if (data.size() != recv.buffer.size()) {
    return Error("rank " + std::to_string(rank_) + ": message from rank " +
                 std::to_string(recv.peer) + " holds " + std::to_string(data.size()) +
                 " bytes, expected " + std::to_string(recv.buffer.size()));
  }
  if (!data.empty()) std::memcpy(recv.buffer.data(), data.data(), data.size());
  return okStatus();
}

}  // namespace topoplan
