#include "placement/hierarchy_csv.h"
#include "core/lines.h"

#include <charconv>

namespace topoplan {

bool looksLikeHierarchyCsv(std::string_view text) {
  const std::string_view first = text.substr(0, text.find('\n'));
  return first.find(',') != std::string_view::npos && first.find('{') == std::string_view::npos &&
         first.find('=') == std::string_view::npos;
}

Result<Topology> parseHierarchyCsv(std::string_view text, const std::string& source,
                                   int defaultGpus) {
  if (text.find('\0') != std::string_view::npos) {
    return Error(source + ": binary data, expected a CSV text file");
  }
  std::vector<std::string> header;
  std::vector<HostPath> rows;
  bool gpuColumn = false;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    if (line.empty() || line.front() == '#') return okStatus();
    const std::vector<std::string_view> fields = topoplan::fields(line, ',');
    const std::string at = source + ":" + std::to_string(lineNumber);
    if (header.empty()) {
      header.assign(fields.begin(), fields.end());
      gpuColumn = header.size() > 2 && header.back() == "gpus";
      if (header.size() < (gpuColumn ? 3u : 2u)) {
        return Error(at + ": header has " + std::to_string(header.size()) +
                     " columns, expected a host column and at least one level");
      }
      return okStatus();
    }
    if (fields.size() != header.size()) {
      return Error(at + ": " + std::to_string(fields.size()) + " fields, expected " +
                   std::to_string(header.size()) + " as in the header");
    }
    HostPath row{std::string(fields.front()), {}, defaultGpus, lineNumber};
    const std::size_t levelEnd = gpuColumn ? fields.size() - 1 : fields.size();
    row.labels.assign(fields.begin() + 1, fields.begin() + static_cast<long>(levelEnd));
    if (gpuColumn) {
      const std::string_view value = fields.back();
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), row.gpus);
      if (ec != std::errc() || ptr != value.data() + value.size() || row.gpus < 0 ||
          row.gpus > 1024) {
        return Error(at + ": gpus '" + std::string(value) + "': expected a count from 0 to 1024");
      }
    }
    rows.push_back(std::move(row));
    return okStatus();
  }));
  if (header.empty()) return Error(source + ": empty, expected a header and one row per host");
  std::vector<std::string> levels(header.begin() + 1, header.end() - (gpuColumn ? 1 : 0));
  return Topology::fromPaths(levels, rows, source);
}

}  // namespace topoplan
