#include "core/termination.h"

#include <csignal>
#include <initializer_list>

#include <time.h>
#include <unistd.h>

namespace topoplan {
namespace {

// Written only by the handler, read by waits: the one place a process-wide value is unavoidable.
volatile std::sig_atomic_t receivedSignal = 0;
volatile std::sig_atomic_t holdThenExit = -1;

extern "C" void recordSignal(int signal) {
  if (holdThenExit >= 0) {
    // Holding still (nanosleep and _exit are async-signal-safe) keeps this rank's exit from
    // cutting short the grace the launcher gives the rank that saves the results: Open MPI
    // sends SIGKILL as soon as any rank it signalled exits.
    timespec hold{2, 0};
    nanosleep(&hold, nullptr);
    _exit(holdThenExit);
  }
  if (receivedSignal == 0) receivedSignal = signal;
}

}  // namespace

void installTerminationHandlers(int exitCode) {
  holdThenExit = exitCode;
  struct sigaction action {};
  action.sa_handler = recordSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR and its loop looks
  for (int signal : {SIGTERM, SIGINT, SIGHUP}) sigaction(signal, &action, nullptr);
}

int terminationSignal() {
  return receivedSignal;
}

const char* signalName(int signal) {
  switch (signal) {
    case SIGTERM:
      return "SIGTERM";
    case SIGINT:
      return "SIGINT";
    case SIGHUP:
      return "SIGHUP";
    default:
      return "a signal";
  }
}

std::string endedBySignal(int signal, const std::string& what) {
  return std::string("ended by ") + signalName(signal) +
         " (a launcher ends every rank when one is lost or the job is cancelled) during " + what;
}

}  // namespace topoplan
