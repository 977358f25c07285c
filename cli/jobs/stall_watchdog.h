// StallWatchdog: a deadline for the blocking MPI call a job makes on purpose: MPI_Allreduce, the
// peer our algorithms are measured against, which must stay the blocking call it is (Open MPI's
// MPI_Iallreduce runs other algorithms, up to 1.6x slower here). A thread watches the armed call;
// past its limit, or when a termination signal arrives during it, it runs `onStall` (rank 0
// writes what was measured) and ends the process with exit code 3. The thread never calls MPI.
// Polled waits (MpiComm) do not need it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace topoplan {

class StallWatchdog {
 public:
  using OnStall = std::function<void(const std::string& reason)>;

  StallWatchdog(double limitSeconds, OnStall onStall);
  ~StallWatchdog();  // stops the thread
  StallWatchdog(const StallWatchdog&) = delete;
  StallWatchdog& operator=(const StallWatchdog&) = delete;

  // Brackets the blocking call; `what` names it ("MPI_Allreduce of 8 bytes").
  void arm(const std::string& what);
  void disarm();

 private:
  void watch();

  const double limitSeconds_;
  const OnStall onStall_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool armed_ = false;
  std::string what_;
  std::chrono::steady_clock::time_point since_;
  std::thread thread_;  // last: starts after the members it reads
};

}  // namespace topoplan
