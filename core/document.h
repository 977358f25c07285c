// The header every topoplan JSON document carries, and helpers shared by its readers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/interruption.h"

namespace topoplan {

// "topoplan.<kind>/v<version>", e.g. schemaName("allreduce", 1) == "topoplan.allreduce/v1".
std::string schemaName(std::string_view kind, int version);

// Current UTC time as ISO 8601 with a Z suffix, e.g. "2026-11-22T14:05:09Z".
std::string utcTimestamp();

// The command line as one shell-like string (arguments with spaces are quoted).
std::string joinCommandLine(const std::vector<std::string>& argv);

// Distinct host names of the ranks, in order of first appearance.
std::vector<std::string> uniqueHosts(const std::vector<std::string>& rankHosts);

// {"schema", "tool": {"name", "version"}, "command_line", "hosts", "created_utc"}.
nlohmann::ordered_json makeDocumentHeader(std::string_view kind, int version,
                                          const std::vector<std::string>& argv,
                                          const std::vector<std::string>& hosts);

// "incomplete": false, or true with "incomplete_reason" and "lost_ranks" [{"rank", "host"}].
void addCompleteness(nlohmann::ordered_json& document, const std::optional<Interruption>& ended,
                     const std::vector<std::string>& rankHosts);

// What a reader needs: empty for a complete run, else why it ended early.
std::string incompleteReason(const nlohmann::ordered_json& document);

}  // namespace topoplan
