// YAML for the Kubernetes and Slurm exports, emitted by yaml-cpp from JSON values. Every string
// value is written double-quoted, so no name can turn into YAML syntax, a boolean ("yes", "on")
// or a number; keys (ours, or label keys checked before) are left to yaml-cpp, which quotes them
// where they need it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace topoplan {

// An object of an export, in the order its keys are written.
using YamlObject = nlohmann::ordered_json;

// `text` as '#' comment lines (for YAML, topology.conf and shell scripts alike); control
// characters become '?', so that no line of it can end the comment early.
std::string hashComment(const std::string& text);

// One value as YAML text (no document marker).
std::string yamlText(const nlohmann::ordered_json& value);

// One YAML document per value, each starting with "---"; `comment` (one or more lines) is
// written first as '#' comments.
std::string yamlDocuments(const std::vector<nlohmann::ordered_json>& documents,
                          const std::string& comment);

}  // namespace topoplan
