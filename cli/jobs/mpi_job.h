// MpiJob: what a command under mpirun stands on: the world communicator under a deadline (every
// wait fails after --timeout without progress), the roll call, every rank's host, and how a
// failed job ends.
//
// A failed job ends in three steps. Rank 0 holds a roll call: the ranks that do not answer are
// lost (dead, hung, cut off), the others say what they were doing. The command then writes what
// was measured, marked incomplete, and main ends the job with exit code 3. Every other rank
// answers roll calls for a grace period and then ends the job itself, in case rank 0 is the
// one lost. When the launcher ends the job first (mpirun does when a rank dies), waits end at
// once and rank 0 still writes what it has. The one blocking call a job makes on purpose
// (MPI_Allreduce, see stall_watchdog.h) has a watchdog instead of a polled wait.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/jobs/mpi_session.h"
#include "cli/jobs/stall_watchdog.h"
#include "core/interruption.h"
#include "probes/transport/mpi_comm.h"

namespace topoplan {

class MpiJob {
 public:
  // Longest time a rank other than 0 waits for rank 0 to end a failed job.
  static constexpr double kGraceSeconds = 10;

  // Opens the job (collectives under the deadline): hosts, roll call.
  static Result<std::unique_ptr<MpiJob>> start(const MpiSession& session, double timeoutSeconds);

  MpiComm& comm() { return comm_; }
  bool root() const { return comm_.rank() == 0; }
  const std::vector<std::string>& rankHosts() const { return hosts_; }
  // Every rank's rank among the ranks of its host.
  std::vector<int> localRanks() const;

  // Runs a blocking call (MPI_Allreduce, NCCL's communicator setup) under the deadline: past it
  // (rank 0) or past it and the grace period (other ranks) the watchdog ends this process with exit
  // 3, rank 0 first running the handler of setStallHandler.
  Status blocking(const std::string& what, const std::function<Status()>& call);
  // This rank's rank among the ranks that share its memory (MPI_Comm_split_type), for one GPU
  // per rank.
  Result<int> sharedMemoryRank();
  // Rank 0: what to do before the watchdog ends a stalled blocking call (write what was
  // measured); it gets the reason.
  void setStallHandler(StallWatchdog::OnStall handler) { stallHandler_ = std::move(handler); }

  // After `error` on this rank, the steps above; returns what the document records (the error,
  // the roll call's findings and the lost ranks). On ranks other than 0 it returns only after
  // the grace period.
  Interruption fail(const Error& error);

 private:
  MpiJob(MPI_Comm world, double timeoutSeconds);

  MpiComm comm_;
  std::vector<std::string> hosts_;
  StallWatchdog::OnStall stallHandler_;
  std::unique_ptr<StallWatchdog> watchdog_;  // only with a deadline
};

// The default --timeout: 30 s plus the time to move `bytes` (the most one wait may see) at
// 10 MB/s, the slowest path worth measuring.
double defaultTimeoutSeconds(double bytes);

}  // namespace topoplan
