#include "core/index_list.h"

#include <algorithm>
#include <charconv>

namespace topoplan {
namespace {

bool readIndex(std::string_view text, int& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size() && value >= 0;
}

}  // namespace

Result<std::vector<int>> parseIndexList(std::string_view text, int most) {
  std::vector<int> indices;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view range = text.substr(start, comma - start);
    start = comma + 1;
    const std::size_t dash = range.find('-');
    int first = 0, last = 0;
    const bool read =
        readIndex(range.substr(0, dash), first) &&
        readIndex(dash == std::string_view::npos ? range.substr(0, dash) : range.substr(dash + 1),
                  last);
    if (!read || last < first || last > most)
      return Error("range '" + std::string(range) +
                   "', expected N or N-M (N <= M <= " + std::to_string(most) + ")");
    for (int i = first; i <= last; ++i) indices.push_back(i);
  }
  return indices;
}

std::string formatIndexList(std::vector<int> indices) {
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  std::string out;
  for (std::size_t i = 0; i < indices.size();) {
    std::size_t j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    out += (out.empty() ? "" : ",") + std::to_string(indices[i]);
    if (j > i) out += "-" + std::to_string(indices[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace topoplan
