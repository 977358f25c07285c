// The exit codes of the topoplan command line (see README).
#pragma once

namespace topoplan {

enum ExitCode : int {
  kExitOk = 0,
  kExitCheckFailed = 1,  // a regression, wrong results
  kExitBadInput = 2,     // bad usage or input; nothing was written
  kExitRuntime = 3,      // peer lost, timeout, a library call failed
};

}  // namespace topoplan
