// Reading typed fields out of JSON documents with errors that name the source, the field's
// path and what was expected, e.g. "base.json.results[3].bytes: "12", expected an integer >= 0".
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "core/stats.h"

namespace topoplan {

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::string& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::uint64_t& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 double& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 bool& out);
// An array of numbers >= 0 (samples); an element that is not names its index.
Status readNonNegativeNumbers(const nlohmann::ordered_json& object, const std::string& where,
                              const char* key, std::vector<double>& out);

// A sample's summary as documents write it: median, p10, p90, min and max, to 6 significant
// digits (what readSampleStats reads back).
nlohmann::ordered_json sampleStatsJson(const SampleStats& s);

// The object `key` holding a sample's summary: median, p10, p90, min and max (the caller reads
// anything else it holds); with `nonNegative`, each must be >= 0.
Status readSampleStats(const nlohmann::ordered_json& object, const std::string& where,
                       const char* key, SampleStats& out, bool nonNegative = false);

// The member `key` of `object`, which must exist and be of the given JSON kind.
Result<const nlohmann::ordered_json*> objectField(const nlohmann::ordered_json& object,
                                                  const std::string& where, const char* key);
Result<const nlohmann::ordered_json*> arrayField(const nlohmann::ordered_json& object,
                                                 const std::string& where, const char* key);

// Parses `text` as JSON; a syntax error names `source` and the byte offset.
Result<nlohmann::ordered_json> parseJson(const std::string& text, const std::string& source);

// parseJson for large documents: each element of the top-level array `rowsKey` goes to `onRow`
// (with its index) as soon as it is parsed and is then dropped, so the returned document holds
// that array empty and memory holds one row at a time. The first error of `onRow` is returned.
using RowReader = std::function<Status(const nlohmann::ordered_json& row, std::size_t index)>;
Result<nlohmann::ordered_json> parseJsonRows(const std::string& text, const std::string& source,
                                             const std::string& rowsKey, const RowReader& onRow);

// The document as JSON text: indented by 2 like dump(2), except that the elements of the
// top-level array `rowsKey` are written one per line, compactly (a document of a million rows
// stays a few hundred bytes a row, and diffs line by line). `rows` writes each element, in
// order, through the callback it is given.
using RowWriter = std::function<void(const std::function<void(const nlohmann::ordered_json&)>&)>;
std::string dumpWithRows(const nlohmann::ordered_json& document, const std::string& rowsKey,
                         const RowWriter& rows);

// readFile, then parseJson; errors name the file.
Result<nlohmann::ordered_json> readJsonFile(const std::string& path);

}  // namespace topoplan
