#include "core/comm.h"

#include <cstring>
#include <string>

namespace topoplan {

Status Comm::send(int peer, std::span<const std::byte> data, int tag) {
  auto request = isend(peer, data, tag);
  if (!request) return request.error();
  return wait(*request);
}

Status Comm::recv(int peer, std::span<std::byte> data, int tag) {
  auto request = irecv(peer, data, tag);
  if (!request) return request.error();
  return wait(*request);
}

Status Comm::recvQuietly(int peer, std::span<std::byte> data, int tag) {
  auto request = irecv(peer, data, tag);
  if (!request) return request.error();
  return waitQuietly(*request);
}

Status Comm::sendrecv(int sendPeer, std::span<const std::byte> sendData, int recvPeer,
                      std::span<std::byte> recvData, int tag) {
  auto receive = irecv(recvPeer, recvData, tag);
  if (!receive) return receive.error();
  auto sending = isend(sendPeer, sendData, tag);
  if (!sending) return sending.error();
  TOPOPLAN_TRY(wait(*receive));
  return wait(*sending);
}

Status Comm::waitAll(std::vector<Request>& requests) {
  for (Request& request : requests) TOPOPLAN_TRY(wait(request));
  requests.clear();
  return okStatus();
}

// Binomial broadcast: in round k, ranks that already hold the data (relative rank < 2^k) send
// to relative rank + 2^k.
Status Comm::broadcast(std::span<std::byte> data, int root) {
  const int n = size();
  const int relative = (rank() - root + n) % n;
  int mask = 1;
  while (mask < n) {
    if (relative < mask) {
      const int peer = relative + mask;
      if (peer < n) TOPOPLAN_TRY(send((peer + root) % n, data, kCollectiveTag + 1));
    } else if (relative < 2 * mask) {
      TOPOPLAN_TRY(recv((relative - mask + root) % n, data, kCollectiveTag + 1));
    }
    mask <<= 1;
  }
  return okStatus();
}

Status Comm::barrier() {
  std::byte token{};
  std::vector<std::byte> all(static_cast<std::size_t>(size()));
  return allgather(std::span<const std::byte>(&token, 1), all);
}

// Ring allgather: n-1 steps, each forwarding the block received in the previous step.
Status Comm::allgather(std::span<const std::byte> mine, std::span<std::byte> all) {
  const int n = size();
  const std::size_t block = mine.size();
  if (all.size() != block * static_cast<std::size_t>(n)) {
    return Error("allgather: output holds " + std::to_string(all.size()) + " bytes, expected " +
                 std::to_string(block * n));
  }
  const int r = rank();
  if (block > 0) std::memcpy(all.data() + block * r, mine.data(), block);
  const int right = (r + 1) % n;
  const int left = (r - 1 + n) % n;
  for (int step = 0; step + 1 < n; ++step) {
    const int sendBlock = (r - step + n) % n;
    const int recvBlock = (r - step - 1 + n) % n;
    TOPOPLAN_TRY(sendrecv(right, all.subspan(block * sendBlock, block), left,
                          all.subspan(block * recvBlock, block), kCollectiveTag + 2));
  }
  return okStatus();
}

}  // namespace topoplan
