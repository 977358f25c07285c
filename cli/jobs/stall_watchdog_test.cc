#include "cli/jobs/stall_watchdog.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "cli/exit_codes.h"

namespace topoplan {
namespace {

// Past its limit the armed watchdog runs the handler with the reason and ends the process with 3.
TEST(StallWatchdogDeathTest, ACallPastItsLimitEndsTheProcessWithThreeAfterTheHandler) {
  EXPECT_EXIT(
      {
        StallWatchdog watchdog(0.1, [](const std::string& reason) {
          std::fprintf(stderr, "handler: %s\n", reason.c_str());
        });
        watchdog.arm("MPI_Allreduce of 8 bytes");
        std::this_thread::sleep_for(std::chrono::seconds(5));
      },
      testing::ExitedWithCode(kExitRuntime),
      "handler: MPI_Allreduce of 8 bytes did not return within .* \\(--timeout\\)");
}

// Disarmed in time, or never armed, it does nothing.
TEST(StallWatchdog, ACallThatReturnsInTimeIsLeftAlone) {
  bool stalled = false;
  {
    StallWatchdog watchdog(0.2, [&](const std::string&) { stalled = true; });
    watchdog.arm("a quick call");
    watchdog.disarm();
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  EXPECT_FALSE(stalled);
}

}  // namespace
}  // namespace topoplan
