// CrashGuard: runs a call that may crash inside a vendor library on hostile input (hwloc 2.9's XML
// import dereferences missing attributes: tests/fuzz/regressions/hwloc_xml) in a child process
// first, so that such input becomes an error message instead of a crash of ours. Only the vendor
// call belongs in the child: our own code runs in the caller, where a defect of ours shows.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"

namespace topoplan {

// Runs `trial` in a forked child (its stderr silenced) for at most `timeoutSeconds`. Fails, with
// `what` and how the child ended, when it crashes, exits abnormally or runs out of time.
Status survivesInChild(const std::function<void()>& trial, const std::string& what,
                       double timeoutSeconds = 30);

}  // namespace topoplan
