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
  const std::uint64_t sequence = sendSequence_[{peer, tag}]++;
  ThreadWorld::Mailbox& box = *world_.mailboxes_[static_cast<std::size_t>(peer)];
  {
    std::lock_guard lock(box.mutex);
    box.messages.emplace(ThreadWorld::Key{rank_, tag, sequence},
                         std::vector<std::byte>(data.begin(), data.end()));
  }
  box.arrived.notify_all();
  return Request{};
}

Result<Request> ThreadComm::irecv(int peer, std::span<std::byte> data, int tag) {
  TOPOPLAN_TRY(checkPeer(peer, "irecv"));
  const std::uint64_t sequence = recvSequence_[{peer, tag}]++;
  const std::int64_t id = nextRequest_++;
  pending_.emplace(id, PendingRecv{{peer, tag, sequence}, data});
  return Request{id};
}

Status ThreadComm::wait(Request& request) {
  if (request.id < 0) return okStatus();
  auto it = pending_.find(request.id);
  TOPOPLAN_CHECK(it != pending_.end(), "wait on an unknown request");
  const PendingRecv pending = it->second;
  pending_.erase(it);
  request.id = -1;

  ThreadWorld::Mailbox& box = *world_.mailboxes_[static_cast<std::size_t>(rank_)];
  std::unique_lock lock(box.mutex);
  const bool arrived = box.arrived.wait_for(lock, world_.timeout(), [&] {
    return box.messages.count(pending.key) > 0;
  });
  const auto [source, tag, sequence] = pending.key;
  if (!arrived) {
    return Error("rank " + std::to_string(rank_) + ": no message from rank " +
                 std::to_string(source) + " (tag " + std::to_string(tag) + ") within " +
                 std::to_string(world_.timeout().count()) + " ms");
  }
  auto message = box.messages.find(pending.key);
  std::vector<std::byte> data = std::move(message->second);
  box.messages.erase(message);
  lock.unlock();
  if (data.size() != pending.buffer.size()) {
    return Error("rank " + std::to_string(rank_) + ": message from rank " +
                 std::to_string(source) + " holds " + std::to_string(data.size()) +
                 " bytes, expected " + std::to_string(pending.buffer.size()));
  }
  if (!data.empty()) std::memcpy(pending.buffer.data(), data.data(), data.size());
  return okStatus();
}

}  // namespace topoplan
