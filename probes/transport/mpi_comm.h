// MpiComm: Comm over an MPI communicator (point-to-point as MPI_BYTE messages; native
// barrier, broadcast and allgather). MPI error codes become Errors here, at the boundary.
#pragma once

#include <mpi.h>

#include <vector>

#include "core/comm.h"

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

class MpiComm final : public Comm {
 public:
  // Does not take ownership; sets MPI_ERRORS_RETURN on `comm` so failures come back as codes.
  explicit MpiComm(MPI_Comm comm);

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  MPI_Comm native() const { return comm_; }

  Result<Request> isend(int peer, std::span<const std::byte> data, int tag) override;
  Result<Request> irecv(int peer, std::span<std::byte> data, int tag) override;
  Status wait(Request& request) override;

  Status barrier() override;
  Status broadcast(std::span<std::byte> data, int root) override;
  Status allgather(std::span<const std::byte> mine, std::span<std::byte> all) override;

 private:
  struct Slot {
    MPI_Request request = MPI_REQUEST_NULL;
    int peer = -1;
    int expectedBytes = -1;  // receives only
  };
  Result<int> byteCount(std::size_t bytes, const char* operation) const;
  std::int64_t store(Slot slot);

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  std::vector<Slot> slots_;
  std::vector<std::int64_t> freeSlots_;
};

}  // namespace topoplan
