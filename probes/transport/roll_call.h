// RollCall: when a job stalls, rank 0 asks every other rank what it is doing, over a
// communicator of its own so that no pending message of the job can match. Ranks answer from
// inside their waits (MpiComm polls asked()); a rank that does not answer within the limit is
// lost: dead, stopped, or cut off from rank 0. The same communicator carries a failure notice
// from any rank to rank 0, so that rank 0 ends the job at once with that rank's reason.
#pragma once

#include <mpi.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace topoplan {

class RollCall {
 public:
  // Duplicates `comm`: a collective, so every rank calls it; gives up after timeoutSeconds
  // (0: waits without limit).
  static Result<std::unique_ptr<RollCall>> open(MPI_Comm comm, double timeoutSeconds);
  ~RollCall();  // stops listening and frees the communicator (unless MPI is finalized)
  RollCall(const RollCall&) = delete;
  RollCall& operator=(const RollCall&) = delete;

  // Ranks other than 0: whether rank 0 has asked; answer() replies and listens again.
  bool asked();
  void answer(const std::string& text);

  // Ranks other than 0: tells rank 0 why this rank failed (once).
  void reportFailure(const std::string& text);
  // Rank 0: a failure notice that has arrived, as (rank, text).
  std::optional<std::pair<int, std::string>> failureReported();

  // Rank 0: asks every other rank and waits up to `seconds` (less when a termination signal
  // arrives). answers[r] is rank r's reply, empty for a rank that did not answer (and for 0).
  std::vector<std::optional<std::string>> conduct(double seconds);

 private:
  static constexpr std::size_t kAnswerBytes = 512;
  explicit RollCall(MPI_Comm comm);
  void listen();
  void post(std::array<char, kAnswerBytes>& buffer, const std::string& text, int tag);

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  int question_ = 0;
  MPI_Request listening_ = MPI_REQUEST_NULL;  // others: for a question; rank 0: for a failure
  std::array<char, kAnswerBytes> reply_{};    // others: the last answer sent
  std::array<char, kAnswerBytes> notice_{};   // the failure notice sent (others), received (0)
  bool reported_ = false;
};

}  // namespace topoplan
