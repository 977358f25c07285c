#include "probes/crash_guard.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace topoplan {
namespace {

TEST(CrashGuard, ACrashInTheChildIsAnError) {
  Status crashed = survivesInChild([] { std::raise(SIGSEGV); }, "reading x.xml");
  ASSERT_FALSE(crashed.ok());
  EXPECT_EQ(crashed.error().message(), "reading x.xml: crashed (Segmentation fault)");
  Status aborted = survivesInChild([] { std::abort(); }, "reading y.xml");
  ASSERT_FALSE(aborted.ok());
  EXPECT_EQ(aborted.error().message(), "reading y.xml: crashed (Aborted)");
}

TEST(CrashGuard, ACallThatReturnsPassesAndAHangIsCut) {
  EXPECT_TRUE(survivesInChild([] {}, "fine").ok());
  Status hung =
      survivesInChild([] { std::this_thread::sleep_for(std::chrono::seconds(30)); }, "hangs", 0.2);
  ASSERT_FALSE(hung.ok());
  EXPECT_NE(hung.error().message().find("hangs: still running after"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
