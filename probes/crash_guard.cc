#include "probes/crash_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <initializer_list>
#include <thread>

// Present only in a build with a sanitizer: replaces the callback it runs before ending the
// process on a report (a fuzzer's, which would keep the child's input as a crash of its own).
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)(void));

namespace topoplan {

Status survivesInChild(const std::function<void()>& trial, const std::string& what,
                       double timeoutSeconds) {
  const pid_t child = fork();
  if (child < 0) return Error(what + ": cannot fork a trial process: " + std::strerror(errno));
  if (child == 0) {
    // A crash ends the child by its signal, not through a handler the parent installed (a
    // sanitizer's or a fuzzer's, which would report it as the parent's).
    for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(signal, SIG_DFL);
    // A sanitizer's report in the vendor call (an allocation it cannot serve) ends the child with
    // the sanitizer's exit status, which the parent reports like any other failure.
    if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) ::dup2(null, STDERR_FILENO);
    trial();
    _exit(0);
  }
  const auto start = std::chrono::steady_clock::now();
  int status = 0;
  while (true) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) return Error(what + ": lost the trial process");
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
        timeoutSeconds) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return Error(what + ": still running after " + std::to_string(timeoutSeconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (WIFSIGNALED(status)) {
    return Error(what + ": crashed (" + strsignal(WTERMSIG(status)) + ")");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Error(what + ": failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")");
  }
  return okStatus();
}

}  // namespace topoplan
