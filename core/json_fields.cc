#include "core/json_fields.h"

#include "core/units.h"

#include <cmath>

#include <optional>

#include "core/atomic_file.h"

namespace topoplan {
namespace {

Result<const nlohmann::ordered_json*> member(const nlohmann::ordered_json& object,
                                             const std::string& where, const char* key,
                                             const char* expected) {
  if (!object.is_object()) {
    return Error(where + ": " + std::string(object.type_name()) + ", expected an object with \"" +
                 key + "\"");
  }
  auto it = object.find(key);
  if (it == object.end()) return Error(where + "." + key + ": missing, expected " + expected);
  return &*it;
}

Error mismatch(const std::string& where, const char* key, const nlohmann::ordered_json& value,
               const char* expected) {
  std::string shown = value.dump();
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  return Error(where + "." + key + ": " + shown + ", expected " + expected);
}

template <typename T, typename Accepts>
Status readTyped(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 T& out, const char* expected, Accepts accepts) {
  auto value = member(object, where, key, expected);
  if (!value) return value.error();
  if (!accepts(**value)) return mismatch(where, key, **value, expected);
  out = (*value)->template get<T>();
  return okStatus();
}

}  // namespace

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::string& out) {
  return readTyped(object, where, key, out, "a string",
                   [](const nlohmann::ordered_json& v) { return v.is_string(); });
}

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::uint64_t& out) {
  return readTyped(object, where, key, out, "an integer >= 0",
                   [](const nlohmann::ordered_json& v) { return v.is_number_unsigned(); });
}

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 double& out) {
  return readTyped(object, where, key, out, "a number",
                   [](const nlohmann::ordered_json& v) { return v.is_number(); });
}

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 bool& out) {
  return readTyped(object, where, key, out, "true or false",
                   [](const nlohmann::ordered_json& v) { return v.is_boolean(); });
}

Status readSampleStats(const nlohmann::ordered_json& object, const std::string& where,
                       const char* key, SampleStats& out, bool nonNegative) {
  auto stats = objectField(object, where, key);
  if (!stats) return stats.error();
  const std::string at = where + "." + key;
  for (auto [name, value] :
       {std::pair{"median", &out.median}, std::pair{"p10", &out.p10}, std::pair{"p90", &out.p90},
        std::pair{"min", &out.min}, std::pair{"max", &out.max}}) {
    TOPOPLAN_TRY(readField(**stats, at, name, *value));
    if (nonNegative && !(*value >= 0)) return Error(at + "." + name + ": expected a number >= 0");
  }
  return okStatus();
}

Status readNonNegativeNumbers(const nlohmann::ordered_json& object, const std::string& where,
                              const char* key, std::vector<double>& out) {
  auto values = arrayField(object, where, key);
  if (!values) return values.error();
  for (std::size_t k = 0; k < (*values)->size(); ++k) {
    const auto& value = (**values)[k];
    if (!value.is_number() || !(value.get<double>() >= 0) || !std::isfinite(value.get<double>()))
      return Error(where + "." + key + "[" + std::to_string(k) + "]: " + value.dump() +
                   ", expected a number >= 0");
    out.push_back(value.get<double>());
  }
  return okStatus();
}

Result<const nlohmann::ordered_json*> objectField(const nlohmann::ordered_json& object,
                                                  const std::string& where, const char* key) {
  auto value = member(object, where, key, "an object");
  if (!value) return value.error();
  if (!(*value)->is_object()) return mismatch(where, key, **value, "an object");
  return *value;
}

Result<const nlohmann::ordered_json*> arrayField(const nlohmann::ordered_json& object,
                                                 const std::string& where, const char* key) {
  auto value = member(object, where, key, "an array");
  if (!value) return value.error();
  if (!(*value)->is_array()) return mismatch(where, key, **value, "an array");
  return *value;
}

namespace {

Error parseError(const nlohmann::ordered_json::exception& error, const std::string& source) {
  if (const auto* syntax = dynamic_cast<const nlohmann::ordered_json::parse_error*>(&error)) {
    return Error(source + ": not valid JSON at byte " + std::to_string(syntax->byte) +
                 ": expected a JSON document");
  }
  // out_of_range 406: a number beyond double's range, e.g. 1e999.
  const std::string what = error.what();
  const std::size_t detail = what.find("] ");
  return Error(source + ": " + (detail == std::string::npos ? what : what.substr(detail + 2)) +
               ": expected numbers within a double's range");
}

}  // namespace

Result<nlohmann::ordered_json> parseJsonRows(const std::string& text, const std::string& source,
                                             const std::string& rowsKey, const RowReader& onRow) {
  std::optional<Error> failed;
  std::size_t index = 0;
  bool inRows = false;  // inside the top-level array named rowsKey
  const auto callback = [&](int depth, nlohmann::ordered_json::parse_event_t event,
                            nlohmann::ordered_json& parsed) -> bool {
    using Event = nlohmann::ordered_json::parse_event_t;
    if (depth == 1 && event == Event::key) inRows = parsed == rowsKey;
    if (!inRows || depth != 2 ||
        (event != Event::object_end && event != Event::array_end && event != Event::value))
      return true;
    if (!failed) {
      Status read = onRow(parsed, index);
      if (!read) failed = read.error();
    }
    ++index;
    return false;  // dropped from the document
  };
  try {
    auto document = nlohmann::ordered_json::parse(text, callback);
    if (failed) return *failed;
    return document;
  } catch (const nlohmann::ordered_json::exception& error) {
    return parseError(error, source);
  }
}

std::string dumpWithRows(const nlohmann::ordered_json& document, const std::string& rowsKey,
                         const RowWriter& rows) {
  std::string text = "{";
  bool first = true;
  for (const auto& [key, value] : document.items()) {
    text += first ? "\n  " : ",\n  ";
    first = false;
    text += nlohmann::ordered_json(key).dump() + ": ";
    if (key != rowsKey) {
      std::string nested = value.dump(2);
      for (std::size_t at = nested.find('\n'); at != std::string::npos;
           at = nested.find('\n', at + 3))
        nested.insert(at + 1, "  ");
      text += nested;
      continue;
    }
    text += "[";
    bool firstRow = true;
    rows([&](const nlohmann::ordered_json& row) {
      text += firstRow ? "\n    " : ",\n    ";
      firstRow = false;
      text += row.dump();
    });
    text += firstRow ? "]" : "\n  ]";
  }
  return text + "\n}\n";
}

Result<nlohmann::ordered_json> parseJson(const std::string& text, const std::string& source) {
  try {
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::exception& error) {
    return parseError(error, source);
  }
}

Result<nlohmann::ordered_json> readJsonFile(const std::string& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  return parseJson(*text, path);
}

nlohmann::ordered_json sampleStatsJson(const SampleStats& s) {
  return {{"median", significant(s.median)},
          {"p10", significant(s.p10)},
          {"p90", significant(s.p90)},
          {"min", significant(s.min)},
          {"max", significant(s.max)}};
}

}  // namespace topoplan
