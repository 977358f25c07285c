// What the readers of scheduler output share (scheduler_nodes.cc, slurm_nodes.cc,
// kubernetes_nodes.cc): text splitting, optional JSON members, GPU counts.
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace topoplan::scheduler_text {

using Json = nlohmann::ordered_json;

inline std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

inline std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  int depth = 0;  // separators inside parentheses, as in gpu:h100:2(IDX:0,2), do not split
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : separator;
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (i == text.size() || (c == separator && depth <= 0)) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

inline Result<int> wholeNumber(std::string_view text, const std::string& where) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > 1 << 20) {
    return Error(where + ": '" + std::string(text) + "', expected a whole number of GPUs");
  }
  return value;
}

inline const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

inline std::string stringOr(const Json& object, const char* key, std::string fallback = "") {
  const Json* value = member(object, key);
  return value && value->is_string() ? value->get<std::string>() : fallback;
}

}  // namespace topoplan::scheduler_text
