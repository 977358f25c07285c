// Reading typed fields out of JSON documents with errors that name the source, the field's
// path and what was expected, e.g. "base.json.results[3].bytes: "12", expected an integer >= 0".
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace topoplan {

Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::string& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 std::uint64_t& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 double& out);
Status readField(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                 bool& out);

// The member `key` of `object`, which must exist and be of the given JSON kind.
Result<const nlohmann::ordered_json*> objectField(const nlohmann::ordered_json& object,
                                                  const std::string& where, const char* key);
Result<const nlohmann::ordered_json*> arrayField(const nlohmann::ordered_json& object,
                                                 const std::string& where, const char* key);

// Parses `text` as JSON; a syntax error names `source` and the byte offset.
Result<nlohmann::ordered_json> parseJson(const std::string& text, const std::string& source);

// readFile, then parseJson; errors name the file.
Result<nlohmann::ordered_json> readJsonFile(const std::string& path);

}  // namespace topoplan
