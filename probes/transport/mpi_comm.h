// MpiComm: Comm over an MPI communicator (point-to-point as MPI_BYTE messages; native
// barrier, broadcast and allgather). MPI error codes become Errors here, at the boundary.
//
// Every wait polls its request under a deadline (point-to-point waits spin, then yield the core
// between tests; collective and quiet waits sleep between tests, so a rank resting in its round,
// waiting for its turn or done before the others holds no core): an operation that makes no
// progress for WaitPolicy::timeoutSeconds fails with an error that names the peer (rank and host)
// and the operation, and a termination signal (core/termination.h) ends any wait at once. While
// waiting, a rank answers rank 0's roll call (roll_call.h) with its activity and what it waits for,
// and rank 0's waits end as soon as another rank reports a failure.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/comm.h"
#include "probes/transport/roll_call.h"

namespace topoplan {

// An Error for a failed MPI call, with MPI's own text for `code`.
Error mpiError(int code, const char* call, const char* file, int line);

#define TOPOPLAN_MPI_TRY(call)                                                    \
  do {                                                                            \
    const int topoplan_mpi_code_ = (call);                                        \
    if (topoplan_mpi_code_ != MPI_SUCCESS) {                                      \
      return ::topoplan::mpiError(topoplan_mpi_code_, #call, __FILE__, __LINE__); \
    }                                                                             \
  } while (0)

struct WaitPolicy {
  double timeoutSeconds = 0;   // longest wait without completion; 0: no limit
  double rollCallSeconds = 5;  // how long rank 0 waits for the answers to a roll call
};

// The ranks of a job that rank 0's roll call found silent, and what the others answered.
struct RollCallVerdict {
  std::vector<int> silent;
  std::string summary;  // "rank 2 (host b) did not answer within 5 s; rank 1 (host a): ..."
};

class MpiComm final : public Comm {
 public:
  // Does not take ownership; sets MPI_ERRORS_RETURN on `comm` so failures come back as codes.
  explicit MpiComm(MPI_Comm comm, WaitPolicy policy = {});

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  MPI_Comm native() const { return comm_; }
  const WaitPolicy& policy() const { return policy_; }

  // Sets up the roll call (a collective under the deadline); without it no roll call is held.
  Status startRollCall();
  // Host names (index = rank) with which errors name peers.
  void setRankHosts(std::vector<std::string> hosts) { hosts_ = std::move(hosts); }
  // "rank 2 (host b)", or "rank 2" before the hosts are known.
  std::string describeRank(int rank) const;

  Result<Request> isend(int peer, std::span<const std::byte> data, int tag) override;
  Result<Request> irecv(int peer, std::span<std::byte> data, int tag) override;
  Status wait(Request& request) override { return complete(request, false); }
  Status waitQuietly(Request& request) override { return complete(request, true); }

  Status barrier() override;
  Status broadcast(std::span<std::byte> data, int root) override;
  Status allgather(std::span<const std::byte> mine, std::span<std::byte> all) override;

  // Rank 0, after a failure: asks the others what they are doing (nothing without a roll call).
  RollCallVerdict holdRollCall();
  // Other ranks, after `failure`: tell rank 0 (its waits then fail with this rank's reason),
  // and answer roll calls with it for up to `seconds`, or until a termination signal arrives,
  // so that rank 0 can report, write what it has and end the job.
  void awaitRankZero(double seconds, const std::string& failure);

 private:
  // What a wait is for, formatted only when an error or a roll call needs the words.
  struct Waiting {
    const char* operation;  // "receive", "send", "barrier" ...
    int peer = -1;
    std::uint64_t bytes = 0;
    bool quiet = false;  // a collective: sleep between tests instead of holding the core
  };
  struct Slot {
    MPI_Request request = MPI_REQUEST_NULL;
    int peer = -1;
    int bytes = 0;
    bool receive = false;
  };
  Result<int> byteCount(std::size_t bytes, const char* operation) const;
  Status complete(Request& request, bool quiet);
  std::int64_t store(Slot slot);
  Status poll(MPI_Request& request, MPI_Status* status, const Waiting& waiting);
  std::string describe(const Waiting& waiting) const;
  void answerRollCall(const std::string& state);

  MPI_Comm comm_;
  WaitPolicy policy_;
  int rank_ = 0;
  int size_ = 1;
  std::vector<std::string> hosts_;
  std::unique_ptr<RollCall> rollCall_;
  std::vector<Slot> slots_;
  std::vector<std::int64_t> freeSlots_;
};

}  // namespace topoplan
