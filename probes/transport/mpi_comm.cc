#include "probes/transport/mpi_comm.h"

#include <algorithm>
#include <chrono>
#include <climits>
#include <string>
#include <thread>

#include "core/termination.h"
#include "core/units.h"

namespace topoplan {
namespace {

using Clock = std::chrono::steady_clock;

// Waits test their request this many times between looks at the clock and the roll call, so
// that polling costs next to nothing on the latency path.
constexpr unsigned kSpinsPerLook = 64;
// Point-to-point waits (a pair being measured) spin this long, then yield the core between
// tests, so that ranks sharing a machine's cores do not starve each other.
constexpr auto kSpinBeforeYield = std::chrono::microseconds(50);
// Collective waits (a rank resting in its round, or done before the others) spin this long,
// then sleep between tests, from kFirstNap doubling up to kLongestNap: they hold no core.
constexpr auto kSpinBeforeSleep = std::chrono::microseconds(20);
constexpr auto kFirstNap = std::chrono::microseconds(20);
constexpr auto kLongestNap = std::chrono::microseconds(1000);

}  // namespace

Error mpiError(int code, const char* call, const char* file, int line) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  return Error(std::string(call) + " failed: " + std::string(text, length) + " (MPI error " +
               std::to_string(code) + " at " + file + ":" + std::to_string(line) + ")");
}

MpiComm::MpiComm(MPI_Comm comm, WaitPolicy policy) : comm_(comm), policy_(policy) {
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
}

Status MpiComm::startRollCall() {
  auto call = RollCall::open(comm_, policy_.timeoutSeconds);
  if (!call) return call.error();
  rollCall_ = std::move(*call);
  return okStatus();
}

std::string MpiComm::describeRank(int rank) const {
  std::string text = "rank " + std::to_string(rank);
  if (rank >= 0 && static_cast<std::size_t>(rank) < hosts_.size()) {
    text += " (host " + hosts_[static_cast<std::size_t>(rank)] + ")";
  }
  return text;
}

// With its article: "a receive ...", "an allgather ...".
std::string MpiComm::describe(const Waiting& waiting) const {
  const bool vowel = std::string_view("aeiou").find(waiting.operation[0]) != std::string_view::npos;
  std::string text = std::string(vowel ? "an " : "a ") + waiting.operation;
  if (waiting.bytes > 0) text += " of " + std::to_string(waiting.bytes) + " bytes";
  if (waiting.peer >= 0) {
    text +=
        (std::string(waiting.operation) == "send" ? " to " : " from ") + describeRank(waiting.peer);
  }
  return text;
}

void MpiComm::answerRollCall(const std::string& state) {
  rollCall_->answer((activity().empty() ? "starting" : activity()) + "; " + state);
}

Status MpiComm::poll(MPI_Request& request, MPI_Status* status, const Waiting& waiting) {
  const auto start = Clock::now();
  std::chrono::microseconds nap{0};
  for (unsigned spin = 1;; ++spin) {
    int done = 0;
    const int code = MPI_Test(&request, &done, status);
    if (code != MPI_SUCCESS) {
      return mpiError(code, "MPI_Test", __FILE__, __LINE__).context(describe(waiting));
    }
    if (done) return okStatus();
    if (const int signal = terminationSignal()) {
      return Error(endedBySignal(signal, describe(waiting)));
    }
    if (nap.count() == 0 && spin % kSpinsPerLook != 0) continue;
    if (rollCall_ && rollCall_->asked()) answerRollCall("waiting for " + describe(waiting));
    if (rollCall_ && rank_ == 0) {
      if (auto failure = rollCall_->failureReported()) {
        return Error(describeRank(failure->first) + " failed (" + failure->second +
                     ") while this rank waited for " + describe(waiting));
      }
    }
    const auto waited = Clock::now() - start;
    if (policy_.timeoutSeconds > 0 &&
        std::chrono::duration<double>(waited).count() > policy_.timeoutSeconds) {
      return Error("no progress within " + secondsText(policy_.timeoutSeconds) +
                   " (--timeout) on " + describe(waiting));
    }
    if (waiting.quiet && waited > kSpinBeforeSleep) {
      nap = std::clamp(2 * nap, kFirstNap, kLongestNap);
      std::this_thread::sleep_for(nap);
    } else if (!waiting.quiet && waited > kSpinBeforeYield) {
      std::this_thread::yield();
    }
  }
}

Result<int> MpiComm::byteCount(std::size_t bytes, const char* operation) const {
  if (bytes > static_cast<std::size_t>(INT_MAX)) {
    return Error(std::string(operation) + ": a message of " + std::to_string(bytes) +
                 " bytes exceeds MPI's int count: expected at most " + std::to_string(INT_MAX));
  }
  return static_cast<int>(bytes);
}

std::int64_t MpiComm::store(Slot slot) {
  if (!freeSlots_.empty()) {
    const std::int64_t id = freeSlots_.back();
    freeSlots_.pop_back();
    slots_[static_cast<std::size_t>(id)] = slot;
    return id;
  }
  slots_.push_back(slot);
  return static_cast<std::int64_t>(slots_.size() - 1);
}

Result<Request> MpiComm::isend(int peer, std::span<const std::byte> data, int tag) {
  auto count = byteCount(data.size(), "isend");
  if (!count) return count.error();
  Slot slot{MPI_REQUEST_NULL, peer, *count, false};
  TOPOPLAN_MPI_TRY(MPI_Isend(data.data(), *count, MPI_BYTE, peer, tag, comm_, &slot.request));
  return Request{store(slot)};
}

Result<Request> MpiComm::irecv(int peer, std::span<std::byte> data, int tag) {
  auto count = byteCount(data.size(), "irecv");
  if (!count) return count.error();
  Slot slot{MPI_REQUEST_NULL, peer, *count, true};
  TOPOPLAN_MPI_TRY(MPI_Irecv(data.data(), *count, MPI_BYTE, peer, tag, comm_, &slot.request));
  return Request{store(slot)};
}

Status MpiComm::complete(Request& request, bool quiet) {
  if (request.id < 0) return okStatus();
  TOPOPLAN_CHECK(static_cast<std::size_t>(request.id) < slots_.size(), "wait on unknown request");
  Slot& slot = slots_[static_cast<std::size_t>(request.id)];
  const Slot done = slot;
  MPI_Status status;
  const Waiting waiting{done.receive ? "receive" : "send", done.peer,
                        static_cast<std::uint64_t>(done.bytes), quiet};
  Status finished = poll(slot.request, &status, waiting);
  if (!finished) return finished;  // the request stays pending: the job is ending
  freeSlots_.push_back(request.id);
  request.id = -1;
  if (done.receive) {
    int received = 0;
    MPI_Get_count(&status, MPI_BYTE, &received);
    if (received != done.bytes) {
      return Error("message from " + describeRank(done.peer) + " holds " +
                   std::to_string(received) + " bytes, expected " + std::to_string(done.bytes));
    }
  }
  return okStatus();
}

Status MpiComm::barrier() {
  MPI_Request request = MPI_REQUEST_NULL;
  TOPOPLAN_MPI_TRY(MPI_Ibarrier(comm_, &request));
  return poll(request, MPI_STATUS_IGNORE, Waiting{"barrier", -1, 0, true});
}

Status MpiComm::broadcast(std::span<std::byte> data, int root) {
  auto count = byteCount(data.size(), "broadcast");
  if (!count) return count.error();
  MPI_Request request = MPI_REQUEST_NULL;
  TOPOPLAN_MPI_TRY(MPI_Ibcast(data.data(), *count, MPI_BYTE, root, comm_, &request));
  return poll(request, MPI_STATUS_IGNORE,
              Waiting{"broadcast", root, static_cast<std::uint64_t>(*count), true});
}

Status MpiComm::allgather(std::span<const std::byte> mine, std::span<std::byte> all) {
  auto count = byteCount(mine.size(), "allgather");
  if (!count) return count.error();
  if (all.size() != mine.size() * static_cast<std::size_t>(size_)) {
    return Error("allgather: output holds " + std::to_string(all.size()) + " bytes, expected " +
                 std::to_string(mine.size() * static_cast<std::size_t>(size_)));
  }
  MPI_Request request = MPI_REQUEST_NULL;
  TOPOPLAN_MPI_TRY(
      MPI_Iallgather(mine.data(), *count, MPI_BYTE, all.data(), *count, MPI_BYTE, comm_, &request));
  return poll(request, MPI_STATUS_IGNORE,
              Waiting{"allgather", -1, static_cast<std::uint64_t>(*count), true});
}

RollCallVerdict MpiComm::holdRollCall() {
  RollCallVerdict verdict;
  if (!rollCall_ || rank_ != 0 || terminationSignal() != 0) return verdict;
  const auto answers = rollCall_->conduct(policy_.rollCallSeconds);
  for (int r = 1; r < size_; ++r) {
    const auto& answer = answers[static_cast<std::size_t>(r)];
    if (!verdict.summary.empty()) verdict.summary += "; ";
    if (answer) {
      verdict.summary += describeRank(r) + ": " + *answer;
    } else {
      verdict.silent.push_back(r);
      verdict.summary += describeRank(r) + " did not answer within " +
                         secondsText(policy_.rollCallSeconds) + " (lost or hung)";
    }
  }
  return verdict;
}

void MpiComm::awaitRankZero(double limitSeconds, const std::string& failure) {
  if (!rollCall_ || rank_ == 0) return;
  rollCall_->reportFailure(failure);
  const auto start = Clock::now();
  while (terminationSignal() == 0 &&
         std::chrono::duration<double>(Clock::now() - start).count() < limitSeconds) {
    if (rollCall_->asked()) answerRollCall("failed: " + failure);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace topoplan
