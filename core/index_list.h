// Lists of indices as Linux and Slurm write them ("0-23,48-71": CPU lists, cpusets, Slurm's
// GRES IDX): read into indices and written back, ranges merged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace topoplan {

// The indices of "0-23,48-71" in the order written (ranges expanded). Errors quote the range
// that is not N or N-M with N <= M <= `most`.
Result<std::vector<int>> parseIndexList(std::string_view text, int most);

// Indices as a list, sorted, each once, runs as ranges: {3, 0, 1, 2, 7} -> "0-3,7".
std::string formatIndexList(std::vector<int> indices);

}  // namespace topoplan
