// Line-by-line reading of text inputs, with line numbers for error messages.
#pragma once

#include <cctype>
#include <functional>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace topoplan {

// Calls visit(lineNumber, line) for every line of `text` (numbered from 1, without the '\n' or
// a trailing '\r'); stops at the first error and returns it.
inline Status forEachLine(std::string_view text,
                          const std::function<Status(int, std::string_view)>& visit) {
  int number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = end + 1;
    TOPOPLAN_TRY(visit(++number, line));
  }
  return okStatus();
}

// The fields of a line between `separator`s, empty ones kept, each without the spaces around
// it (and a carriage return at its end).
inline std::vector<std::string_view> fields(std::string_view line, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(separator, start);
    std::string_view field =
        line.substr(start, end == std::string_view::npos ? line.npos : end - start);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\r')) field.remove_suffix(1);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    out.push_back(field);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

// The words of a line: the runs of characters between spaces and tabs.
inline std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && std::isspace(static_cast<unsigned char>(line[pos]))) ++pos;
    std::size_t stop = pos;
    while (stop < line.size() && !std::isspace(static_cast<unsigned char>(line[stop]))) ++stop;
    if (stop > pos) out.push_back(line.substr(pos, stop - pos));
    pos = stop;
  }
  return out;
}

}  // namespace topoplan
