#include "cli/jobs/stall_watchdog.h"

#include <unistd.h>

#include <cstdio>

#include "cli/exit_codes.h"
#include "core/termination.h"
#include "core/units.h"

namespace topoplan {

StallWatchdog::StallWatchdog(double limitSeconds, OnStall onStall)
    : limitSeconds_(limitSeconds), onStall_(std::move(onStall)), thread_([this] { watch(); }) {}

StallWatchdog::~StallWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void StallWatchdog::arm(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = true;
  what_ = what;
  since_ = std::chrono::steady_clock::now();
}

void StallWatchdog::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
}

void StallWatchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    changed_.wait_for(lock, std::chrono::milliseconds(20));
    if (!armed_) continue;
    std::string reason;
    if (const int signal = terminationSignal()) {
      reason = endedBySignal(signal, what_);
    } else if (std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count() >
               limitSeconds_) {
      reason = what_ + " did not return within " + secondsText(limitSeconds_) +
               " (--timeout): a rank is lost or hung (a blocking MPI call cannot say which)";
    } else {
      continue;
    }
    // Still holding the lock: the main thread cannot disarm and go on changing what onStall
    // reads.
    onStall_(reason);
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(kExitRuntime);  // the main thread is inside MPI: nothing else can end this process
  }
}

}  // namespace topoplan
