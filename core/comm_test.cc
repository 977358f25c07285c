#include "core/comm.h"

#include <gtest/gtest.h>

#include "core/thread_comm.h"

namespace topoplan {
namespace {

std::span<const std::byte> bytesOf(const int& value) {
  return std::as_bytes(std::span<const int>(&value, 1));
}
std::span<std::byte> bytesOf(int& value) {
  return std::as_writable_bytes(std::span<int>(&value, 1));
}

void expectAllOk(const std::vector<Status>& statuses) {
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    EXPECT_TRUE(statuses[i].ok()) << "rank " << i << ": " << statuses[i].error().message();
  }
}

TEST(ThreadComm, MessagesArriveInOrderPerSourceAndTag) {
  expectAllOk(ThreadWorld::run(2, [](Comm& comm) -> Status {
    if (comm.rank() == 0) {
      const std::vector<int> values = {0, 1, 2, 3, 4, 99};
      std::vector<Request> sends;
      for (std::size_t i = 0; i < values.size(); ++i) {
        sends.push_back(*comm.isend(1, bytesOf(values[i]), i < 5 ? 7 : 8));
      }
      return comm.waitAll(sends);  // completes only once rank 1 has taken every message
    }
    int tagged = 0;
    TOPOPLAN_TRY(comm.recv(0, bytesOf(tagged), 8));  // a later tag can be received first
    if (tagged != 99) return Error("tag 8 got " + std::to_string(tagged));
    std::vector<int> values(5);
    std::vector<Request> requests;
    for (int& value : values) requests.push_back(*comm.irecv(0, bytesOf(value), 7));
    for (int i = 4; i >= 0; --i) TOPOPLAN_TRY(comm.wait(requests[i]));  // wait out of order
    for (int i = 0; i < 5; ++i) {
      if (values[i] != i) return Error("value " + std::to_string(i) + " out of order");
    }
    return okStatus();
  }));
}

TEST(ThreadComm, CollectivesForManyWorldSizes) {
  for (int n = 1; n <= 9; ++n) {
    expectAllOk(ThreadWorld::run(n, [n](Comm& comm) -> Status {
      TOPOPLAN_TRY(comm.barrier());
      int value = comm.rank() == n - 1 ? 42 : -1;
      TOPOPLAN_TRY(comm.broadcastValue(value, n - 1));
      if (value != 42) return Error("broadcast gave " + std::to_string(value));
      auto all = comm.allgatherValues(std::vector<int>{comm.rank() * 10, comm.rank()});
      if (!all) return all.error();
      for (int r = 0; r < n; ++r) {
        if ((*all)[2 * r] != r * 10 || (*all)[2 * r + 1] != r) return Error("allgather mismatch");
      }
      return okStatus();
    }));
  }
}

TEST(ThreadComm, BlockingSendsThatWouldDeadlockOverMpiDeadlockHere) {
  // Both ranks send before receiving: fine for small eager MPI messages, a deadlock under a
  // rendezvous protocol. ThreadComm must report it rather than hide it.
  auto statuses = ThreadWorld::run(
      2,
      [](Comm& comm) -> Status {
        int value = comm.rank();
        TOPOPLAN_TRY(comm.send(1 - comm.rank(), bytesOf(value), 0));
        return comm.recv(1 - comm.rank(), bytesOf(value), 0);
      },
      std::chrono::milliseconds(200));
  for (const Status& status : statuses) {
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().message().find("did not receive"), std::string::npos);
  }
}

TEST(ThreadComm, SizeMismatchAndTimeoutAreErrors) {
  auto statuses = ThreadWorld::run(
      2,
      [](Comm& comm) -> Status {
        if (comm.rank() == 0) {
          const int value = 1;
          TOPOPLAN_TRY(comm.send(1, bytesOf(value), 0));
          return comm.recv(1, std::span<std::byte>(), 1);  // never sent: times out
        }
        std::vector<std::byte> big(8);
        return comm.recv(0, big, 0);
      },
      std::chrono::milliseconds(200));
  ASSERT_FALSE(statuses[0].ok());
  EXPECT_NE(statuses[0].error().message().find("no message from rank 1"), std::string::npos);
  ASSERT_FALSE(statuses[1].ok());
  EXPECT_NE(statuses[1].error().message().find("expected 8"), std::string::npos);
}

TEST(ThreadComm, RejectsPeersOutsideTheWorld) {
  auto statuses = ThreadWorld::run(1, [](Comm& comm) -> Status {
    const int value = 0;
    return comm.send(3, bytesOf(value), 0);
  });
  ASSERT_FALSE(statuses[0].ok());
  EXPECT_NE(statuses[0].error().message().find("peer rank 3"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
