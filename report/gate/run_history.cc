#include "report/gate/run_history.h"

#include <algorithm>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/document.h"
#include "core/json_fields.h"
#include "core/lines.h"
#include "core/units.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

const std::string kSchema = schemaName("run", 1);

bool isHistory(const std::string& text) {
  const std::size_t end = text.find('\n');
  const Json first = Json::parse(text.substr(0, end), nullptr, false);
  return first.is_object() && first.contains("schema") && first["schema"] == kSchema;
}

Result<MetricSet> runOf(const Json& line, const std::string& where) {
  MetricSet run;
  std::string schema;
  TOPOPLAN_TRY(readField(line, where, "schema", schema));
  if (schema != kSchema) return Error(where + ".schema: '" + schema + "', expected " + kSchema);
  TOPOPLAN_TRY(readField(line, where, "source", run.source));
  TOPOPLAN_TRY(readField(line, where, "kind", run.kind));
  auto metrics = arrayField(line, where, "metrics");
  if (!metrics) return metrics.error();
  for (std::size_t i = 0; i < (*metrics)->size(); ++i) {
    const Json& item = (**metrics)[i];
    const std::string at = where + ".metrics[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error(at + ": expected an object");
    Metric m;
    std::uint64_t samples = 0;
    TOPOPLAN_TRY(readField(item, at, "key", m.key));
    TOPOPLAN_TRY(readField(item, at, "unit", m.unit));
    TOPOPLAN_TRY(readField(item, at, "value", m.value));
    TOPOPLAN_TRY(readField(item, at, "noise", m.noise));
    TOPOPLAN_TRY(readField(item, at, "samples", samples));
    if (!(m.value >= 0)) return Error(at + ".value: expected a number >= 0");
    m.samples = static_cast<int>(std::min<std::uint64_t>(samples, 1u << 30));
    if (item.contains("sample_values"))
      TOPOPLAN_TRY(readNonNegativeNumbers(item, at, "sample_values", m.sampleValues));
    run.metrics.push_back(std::move(m));
  }
  return run;
}

}  // namespace

Result<std::vector<MetricSet>> parseHistory(const std::string& text, const std::string& path) {
  std::vector<MetricSet> runs;
  TOPOPLAN_TRY(forEachLine(text, [&](int number, std::string_view line) -> Status {
    if (line.find_first_not_of(" \t") == std::string_view::npos) return okStatus();
    const std::string where = path + ":" + std::to_string(number);
    const Json json = Json::parse(line, nullptr, false);
    if (!json.is_object()) return Error(where + ": expected one " + kSchema + " JSON object");
    auto run = runOf(json, where);
    if (!run) return run.error();
    runs.push_back(std::move(*run));
    return okStatus();
  }));
  return runs;
}

Result<std::vector<MetricSet>> readRuns(const std::string& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, error))
      if (entry.is_regular_file() && entry.path().filename().string()[0] != '.')
        files.push_back(entry.path().string());
    if (error) return Error(path + ": " + error.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return Error(path + ": an empty directory, expected result documents");
    std::vector<MetricSet> runs;
    for (const std::string& file : files) {
      auto more = readRuns(file);
      if (!more) return more.error();
      runs.insert(runs.end(), more->begin(), more->end());
    }
    return runs;
  }
  auto text = readFile(path);
  if (!text) return text.error();
  const bool named = path.size() > 6 && path.compare(path.size() - 6, 6, ".jsonl") == 0;
  if (isHistory(*text) || (named && text->find_first_not_of(" \t\r\n") == std::string::npos))
    return parseHistory(*text, path);
  auto run = readMetrics(path);
  if (!run) return run.error();
  return std::vector<MetricSet>{std::move(*run)};
}

std::string historyLine(const MetricSet& run, const std::string& recordedUtc) {
  Json line = {{"schema", kSchema},
               {"source", run.source},
               {"recorded_utc", recordedUtc},
               {"kind", run.kind},
               {"metrics", Json::array()}};
  for (const Metric& m : run.metrics) {
    Json samples = Json::array();
    for (double v : m.sampleValues) samples.push_back(significant(v));
    Json item = {{"key", m.key},
                 {"unit", m.unit},
                 {"value", significant(m.value)},
                 {"noise", significant(m.noise)},
                 {"samples", m.samples},
                 {"sample_values", samples}};
    line["metrics"].push_back(item);
  }
  return line.dump() + "\n";
}

Status appendHistory(const std::string& path, const MetricSet& run) {
  std::string text;
  std::error_code error;
  if (std::filesystem::exists(path, error)) {
    auto existing = readFile(path);
    if (!existing) return existing.error();
    if (!existing->empty() && !isHistory(*existing))
      return Error(path + ": not a " + kSchema + " history (JSON Lines); nothing appended");
    text = *existing;
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
  return writeFileAtomic(path, text + historyLine(run, utcTimestamp()));
}

}  // namespace topoplan
