// Slurm hostlists: "node[01-04,07],gpu-a1" <-> {"node01", ..., "node07", "gpu-a1"}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace topoplan {

// Expands a hostlist; errors name the expression and what was expected. At most `limit` names.
Result<std::vector<std::string>> expandHostlist(std::string_view expression,
                                                std::size_t limit = 1'000'000);

// The shortest usual form: names that differ only in a trailing number (same zero padding) are
// merged into ranges, e.g. {"n01","n02","n03","n07","x"} -> "n[01-03,07],x".
std::string compressHostlist(const std::vector<std::string>& names);

}  // namespace topoplan
