#include "probes/transport/roll_call.h"

#include <chrono>
#include <cstring>
#include <thread>

#include "core/termination.h"
#include "probes/transport/mpi_comm.h"

namespace topoplan {
namespace {

constexpr int kQuestionTag = 1;
constexpr int kAnswerTag = 2;
constexpr int kFailureTag = 3;

using Clock = std::chrono::steady_clock;

bool past(Clock::time_point start, double seconds) {
  return seconds > 0 && std::chrono::duration<double>(Clock::now() - start).count() > seconds;
}

}  // namespace

Result<std::unique_ptr<RollCall>> RollCall::open(MPI_Comm comm, double timeoutSeconds) {
  MPI_Comm duplicate = MPI_COMM_NULL;
  MPI_Request request = MPI_REQUEST_NULL;
  TOPOPLAN_MPI_TRY(MPI_Comm_idup(comm, &duplicate, &request));
  const auto start = Clock::now();
  for (int done = 0; !done;) {
    TOPOPLAN_MPI_TRY(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done) break;
    if (int signal = terminationSignal()) {
      return Error(endedBySignal(signal, "the start of the job"));
    }
    if (past(start, timeoutSeconds)) {
      return Error("not every rank arrived within " + std::to_string(timeoutSeconds) +
                   " s to set up the job: expected all ranks to start");
    }
  }
  std::unique_ptr<RollCall> call(new RollCall(duplicate));
  call->listen();
  return call;
}

RollCall::RollCall(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

RollCall::~RollCall() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  if (listening_ != MPI_REQUEST_NULL) {
    MPI_Cancel(&listening_);
    MPI_Wait(&listening_, MPI_STATUS_IGNORE);
  }
  MPI_Comm_free(&comm_);
}

void RollCall::listen() {
  const int code = rank_ == 0
                       ? MPI_Irecv(notice_.data(), kAnswerBytes, MPI_CHAR, MPI_ANY_SOURCE,
                                   kFailureTag, comm_, &listening_)
                       : MPI_Irecv(&question_, 1, MPI_INT, 0, kQuestionTag, comm_, &listening_);
  if (code != MPI_SUCCESS) listening_ = MPI_REQUEST_NULL;  // rank 0 then reports this one silent
}

bool RollCall::asked() {
  if (rank_ == 0 || listening_ == MPI_REQUEST_NULL) return false;
  int done = 0;
  if (MPI_Test(&listening_, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
    listening_ = MPI_REQUEST_NULL;
    return false;
  }
  return done != 0;
}

void RollCall::post(std::array<char, kAnswerBytes>& buffer, const std::string& text, int tag) {
  const std::size_t length = std::min(text.size(), kAnswerBytes - 1);
  std::memcpy(buffer.data(), text.data(), length);
  buffer[length] = '\0';
  MPI_Request sent = MPI_REQUEST_NULL;
  if (MPI_Isend(buffer.data(), static_cast<int>(length + 1), MPI_CHAR, 0, tag, comm_, &sent) ==
      MPI_SUCCESS) {
    MPI_Request_free(&sent);  // completes on its own; the buffer lives as long as this object
  }
}

void RollCall::answer(const std::string& text) {
  post(reply_, text, kAnswerTag);
  listen();
}

void RollCall::reportFailure(const std::string& text) {
  if (rank_ == 0 || reported_) return;
  reported_ = true;
  post(notice_, text, kFailureTag);
}

std::optional<std::pair<int, std::string>> RollCall::failureReported() {
  if (rank_ != 0 || listening_ == MPI_REQUEST_NULL) return std::nullopt;
  int done = 0;
  MPI_Status status;
  if (MPI_Test(&listening_, &done, &status) != MPI_SUCCESS || !done) return std::nullopt;
  notice_.back() = '\0';
  std::pair<int, std::string> failure{status.MPI_SOURCE, std::string(notice_.data())};
  listen();
  return failure;
}

std::vector<std::optional<std::string>> RollCall::conduct(double seconds) {
  std::vector<std::optional<std::string>> answers(static_cast<std::size_t>(size_));
  std::vector<std::array<char, kAnswerBytes>> replies(static_cast<std::size_t>(size_));
  std::vector<MPI_Request> pending(static_cast<std::size_t>(size_), MPI_REQUEST_NULL);
  for (int r = 1; r < size_; ++r) {
    const auto i = static_cast<std::size_t>(r);
    MPI_Request asked = MPI_REQUEST_NULL;
    if (MPI_Isend(&question_, 1, MPI_INT, r, kQuestionTag, comm_, &asked) == MPI_SUCCESS) {
      MPI_Request_free(&asked);
    }
    if (MPI_Irecv(replies[i].data(), kAnswerBytes, MPI_CHAR, r, kAnswerTag, comm_, &pending[i]) !=
        MPI_SUCCESS) {
      pending[i] = MPI_REQUEST_NULL;
    }
  }
  const auto start = Clock::now();
  for (bool waiting = true; waiting && !past(start, seconds) && terminationSignal() == 0;) {
    waiting = false;
    for (int r = 1; r < size_; ++r) {
      const auto i = static_cast<std::size_t>(r);
      if (pending[i] == MPI_REQUEST_NULL) continue;
      int done = 0;
      if (MPI_Test(&pending[i], &done, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
        pending[i] = MPI_REQUEST_NULL;
      } else if (done) {
        replies[i].back() = '\0';
        answers[i] = std::string(replies[i].data());
      } else {
        waiting = true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // The silent ranks' receives would never complete: withdraw them before the buffers go.
  for (MPI_Request& request : pending) {
    if (request == MPI_REQUEST_NULL) continue;
    MPI_Cancel(&request);
    MPI_Wait(&request, MPI_STATUS_IGNORE);  // local for a receive nobody sent
  }
  return answers;
}

}  // namespace topoplan
