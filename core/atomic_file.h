// Writes a file so that readers see either the old content or the complete new one.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace topoplan {

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`. On any failure the temporary file is removed and `path` is left untouched.
Status writeFileAtomic(const std::string& path, std::string_view content);

// Reads a whole file; the error names the path and the reason.
Result<std::string> readFile(const std::string& path);

}  // namespace topoplan
