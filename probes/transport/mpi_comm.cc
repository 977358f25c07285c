#include "probes/transport/mpi_comm.h"

#include <climits>
#include <string>

namespace topoplan {

Error mpiError(int code, const char* call, const char* file, int line) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) length = 0;
  return Error(std::string(call) + " failed: " + std::string(text, length) + " (MPI error " +
               std::to_string(code) + " at " + file + ":" + std::to_string(line) + ")");
}

MpiComm::MpiComm(MPI_Comm comm) : comm_(comm) {
  MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
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
  Slot slot{MPI_REQUEST_NULL, peer, -1};
  TOPOPLAN_MPI_TRY(MPI_Isend(data.data(), *count, MPI_BYTE, peer, tag, comm_, &slot.request));
  return Request{store(slot)};
}

Result<Request> MpiComm::irecv(int peer, std::span<std::byte> data, int tag) {
  auto count = byteCount(data.size(), "irecv");
  if (!count) return count.error();
  Slot slot{MPI_REQUEST_NULL, peer, *count};
  TOPOPLAN_MPI_TRY(MPI_Irecv(data.data(), *count, MPI_BYTE, peer, tag, comm_, &slot.request));
  return Request{store(slot)};
}

Status MpiComm::wait(Request& request) {
  if (request.id < 0) return okStatus();
  TOPOPLAN_CHECK(static_cast<std::size_t>(request.id) < slots_.size(), "wait on unknown request");
  Slot& slot = slots_[static_cast<std::size_t>(request.id)];
  const Slot done = slot;
  MPI_Status status;
  const int code = MPI_Wait(&slot.request, &status);
  freeSlots_.push_back(request.id);
  request.id = -1;
  if (code != MPI_SUCCESS) {
    return mpiError(code, "MPI_Wait", __FILE__, __LINE__)
        .context("rank " + std::to_string(rank_) + ", peer " + std::to_string(done.peer));
  }
  if (done.expectedBytes >= 0) {
    int received = 0;
    MPI_Get_count(&status, MPI_BYTE, &received);
    if (received != done.expectedBytes) {
      return Error("rank " + std::to_string(rank_) + ": message from rank " +
                   std::to_string(done.peer) + " holds " + std::to_string(received) +
                   " bytes, expected " + std::to_string(done.expectedBytes));
    }
  }
  return okStatus();
}

Status MpiComm::barrier() {
  TOPOPLAN_MPI_TRY(MPI_Barrier(comm_));
  return okStatus();
}

Status MpiComm::broadcast(std::span<std::byte> data, int root) {
  auto count = byteCount(data.size(), "broadcast");
  if (!count) return count.error();
  TOPOPLAN_MPI_TRY(MPI_Bcast(data.data(), *count, MPI_BYTE, root, comm_));
  return okStatus();
}

Status MpiComm::allgather(std::span<const std::byte> mine, std::span<std::byte> all) {
  auto count = byteCount(mine.size(), "allgather");
  if (!count) return count.error();
  if (all.size() != mine.size() * static_cast<std::size_t>(size_)) {
    return Error("allgather: output holds " + std::to_string(all.size()) + " bytes, expected " +
                 std::to_string(mine.size() * static_cast<std::size_t>(size_)));
  }
  TOPOPLAN_MPI_TRY(
      MPI_Allgather(mine.data(), *count, MPI_BYTE, all.data(), *count, MPI_BYTE, comm_));
  return okStatus();
}

}  // namespace topoplan
