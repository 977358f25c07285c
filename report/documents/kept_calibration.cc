#include "report/documents/kept_calibration.h"

#include <chrono>
#include <filesystem>
#include <system_error>

#include "core/atomic_file.h"
#include "core/document.h"
#include "core/json_fields.h"

namespace topoplan {
namespace {

constexpr const char* kSchema = "topoplan.calibration/v1";

// The cluster document as it is now: its size and modification time (ns since the epoch).
Result<std::pair<std::uint64_t, std::int64_t>> stamp(const std::string& clusterFile) {
  std::error_code error;
  const auto size = std::filesystem::file_size(clusterFile, error);
  if (error) return Error(clusterFile + ": " + error.message());
  const auto modified = std::filesystem::last_write_time(clusterFile, error);
  if (error) return Error(clusterFile + ": " + error.message());
  return std::make_pair(
      static_cast<std::uint64_t>(size),
      static_cast<std::int64_t>(
          std::chrono::duration_cast<std::chrono::nanoseconds>(modified.time_since_epoch())
              .count()));
}

}  // namespace

std::string keptCalibrationPath(const std::string& clusterFile) {
  return clusterFile + ".calibration.json";
}

Status keepCalibration(const std::string& clusterFile, const std::vector<std::string>& verify,
                       const std::vector<CalibrationSample>& samples) {
  auto now = stamp(clusterFile);
  if (!now) return now.error().context("--keep-calibration");
  nlohmann::ordered_json doc = {{"schema", kSchema},
                                {"created_utc", utcTimestamp()},
                                {"cluster", clusterFile},
                                {"cluster_bytes", now->first},
                                {"cluster_modified_ns", std::to_string(now->second)},
                                {"verify", verify},
                                {"samples", nlohmann::ordered_json::array()}};
  for (const CalibrationSample& s : samples)
    doc["samples"].push_back({{"name", s.name},
                              {"hosts", s.hosts},
                              {"predicted_busbw_gbps", s.predictedBusbwGbps},
                              {"measured_busbw_gbps", s.measuredBusbwGbps}});
  return writeFileAtomic(keptCalibrationPath(clusterFile), doc.dump(2) + "\n");
}

Result<std::optional<KeptCalibration>> readKeptCalibration(const std::string& clusterFile) {
  const std::string file = keptCalibrationPath(clusterFile);
  std::error_code error;
  if (!std::filesystem::exists(file, error)) return std::optional<KeptCalibration>{};
  auto document = readJsonFile(file);
  if (!document) return document.error();
  const nlohmann::ordered_json& doc = *document;
  if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != kSchema)
    return Error(file + ": expected schema " + kSchema);
  KeptCalibration kept;
  kept.file = file;
  std::uint64_t bytes = 0;
  std::string modified;
  TOPOPLAN_TRY(readField(doc, file, "created_utc", kept.createdUtc));
  TOPOPLAN_TRY(readField(doc, file, "cluster_bytes", bytes));
  TOPOPLAN_TRY(readField(doc, file, "cluster_modified_ns", modified));
  auto verify = arrayField(doc, file, "verify");
  if (!verify) return verify.error();
  for (const auto& name : **verify) {
    if (!name.is_string()) return Error(file + ".verify: expected file names");
    kept.verify.push_back(name.get<std::string>());
  }
  auto samples = arrayField(doc, file, "samples");
  if (!samples) return samples.error();
  for (std::size_t i = 0; i < (*samples)->size(); ++i) {
    const std::string at = file + ".samples[" + std::to_string(i) + "]";
    const auto& item = (**samples)[i];
    CalibrationSample sample;
    TOPOPLAN_TRY(readField(item, at, "name", sample.name));
    auto hosts = arrayField(item, at, "hosts");
    if (!hosts) return hosts.error();
    for (const auto& host : **hosts) {
      if (!host.is_string()) return Error(at + ".hosts: expected host names");
      sample.hosts.push_back(host.get<std::string>());
    }
    TOPOPLAN_TRY(readField(item, at, "predicted_busbw_gbps", sample.predictedBusbwGbps));
    TOPOPLAN_TRY(readField(item, at, "measured_busbw_gbps", sample.measuredBusbwGbps));
    kept.samples.push_back(std::move(sample));
  }
  auto now = stamp(clusterFile);
  if (!now) return now.error();
  kept.stale = now->first != bytes || std::to_string(now->second) != modified;
  return std::optional<KeptCalibration>{std::move(kept)};
}

}  // namespace topoplan
