// Checks made before a long run, so that a bad output path fails at once (exit 2), not after.
#pragma once

#include <string>

#include "core/result.h"

namespace topoplan {

// `path` must name a file (not a directory) in an existing, writable directory.
Status checkOutputPath(const std::string& path, const std::string& option);

}  // namespace topoplan
