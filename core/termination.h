// Termination requests: SIGTERM, SIGINT and SIGHUP only set a flag, which long waits poll (MPI
// waits, TCP transfers), so that a job its launcher ends (mpirun ends every rank when one is lost)
// still reports what it was doing and writes what it measured before it exits.
//
// The flag is process-wide because signal dispositions are.
#pragma once

#include <string>

namespace topoplan {

// Installs the handlers. A process with nothing to save passes `exitCode` >= 0: a signal then
// stops it where it is (it never touches the job being torn down again), holds it for 2 s, so
// that the launcher's grace goes to the rank that saves the results, and ends it with that code.
// Otherwise (exitCode < 0) the signal is only recorded.
void installTerminationHandlers(int exitCode);

// The first termination signal received, or 0.
int terminationSignal();

// "SIGTERM", "SIGINT", ... for the message that reports it.
const char* signalName(int signal);

// The message of a wait a termination signal ended: "ended by SIGTERM (a launcher ends every
// rank when one is lost or the job is cancelled) during `what`".
std::string endedBySignal(int signal, const std::string& what);

}  // namespace topoplan
