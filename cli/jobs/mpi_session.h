// MpiSession: MPI's lifetime for one command (init on construction, finalize on destruction),
// plus what a command needs to know about the job it runs in.
#pragma once

#include <mpi.h>

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  MPI_Comm world() const { return MPI_COMM_WORLD; }
  int rank() const { return rank_; }
  int size() const { return size_; }

  // Fails when a launcher started this process as one of several ranks but MPI sees a world of
  // one (typically a binary linked against another MPI than the launcher's).
  Status checkLauncherAgrees() const;

  // The first line of MPI_Get_library_version.
  static std::string libraryVersion();

 private:
  int rank_ = 0;
  int size_ = 1;
};

// The rank a launcher assigned to this process, read from its environment before MPI starts
// (empty when not started by a known launcher).
std::optional<int> launcherRank();

}  // namespace topoplan
