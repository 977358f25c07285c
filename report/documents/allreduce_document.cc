#include "report/documents/allreduce_document.h"

#include "core/document.h"
#include "core/json_fields.h"
#include "core/units.h"

namespace topoplan {

nlohmann::ordered_json toJson(const AllreduceRecord& record) {
  const SampleStats& t = record.time_us;
  return {
      {"algo", record.algo},
      {"bytes", record.bytes},
      {"count", record.count},
      {"dtype", record.dtype},
      {"op", record.op},
      {"in_place", record.in_place},
      {"time_us",
       {{"median", t.median},
        {"p10", t.p10},
        {"p90", t.p90},
        {"min", t.min},
        {"max", t.max},
        {"mean", t.mean},
        {"cv", t.cv}}},
      {"algbw_gbps", record.algbw_gbps},
      {"busbw_gbps", record.busbw_gbps},
      {"wrong",
       record.wrong ? nlohmann::ordered_json(*record.wrong) : nlohmann::ordered_json(nullptr)},
      {"samples", t.samples},
      {"samples_us",
       [&] {
         nlohmann::ordered_json samples = nlohmann::ordered_json::array();
         for (double s : record.samples_us) samples.push_back(significant(s));
         return samples;
       }()},
  };
}

nlohmann::ordered_json allreduceDocument(const AllreduceRun& run) {
  nlohmann::ordered_json document =
      makeDocumentHeader("allreduce", 1, run.argv, uniqueHosts(run.rankHosts));
  document["ranks"] = run.rankHosts.size();
  document["rank_hosts"] = run.rankHosts;
  document["mpi_library"] = run.mpiLibrary;
  if (!run.ncclLibrary.empty()) document["nccl_library"] = run.ncclLibrary;
  document["config"] = run.config;
  document["results"] = nlohmann::ordered_json::array();
  for (const AllreduceRecord& record : run.records) document["results"].push_back(toJson(record));
  document["waived"] = nlohmann::ordered_json::array();
  for (const WaivedAlgorithm& waived : run.waived) {
    document["waived"].push_back({{"algo", waived.algo}, {"reason", waived.reason}});
  }
  addCompleteness(document, run.interruption, run.rankHosts);
  return document;
}

Result<std::vector<AllreduceRecord>> readAllreduceRecords(const nlohmann::ordered_json& document,
                                                          const std::string& source) {
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != "topoplan.allreduce/v1") {
    return Error(source + ".schema: '" + schema + "', expected 'topoplan.allreduce/v1'");
  }
  auto results = arrayField(document, source, "results");
  if (!results) return results.error();
  std::vector<AllreduceRecord> records;
  for (std::size_t i = 0; i < (*results)->size(); ++i) {
    const nlohmann::ordered_json& item = (**results)[i];
    const std::string where = source + ".results[" + std::to_string(i) + "]";
    AllreduceRecord record;
    TOPOPLAN_TRY(readField(item, where, "algo", record.algo));
    TOPOPLAN_TRY(readField(item, where, "bytes", record.bytes));
    TOPOPLAN_TRY(readField(item, where, "count", record.count));
    TOPOPLAN_TRY(readField(item, where, "dtype", record.dtype));
    TOPOPLAN_TRY(readField(item, where, "op", record.op));
    TOPOPLAN_TRY(readField(item, where, "in_place", record.in_place));
    TOPOPLAN_TRY(readField(item, where, "algbw_gbps", record.algbw_gbps));
    TOPOPLAN_TRY(readField(item, where, "busbw_gbps", record.busbw_gbps));
    TOPOPLAN_TRY(readField(item, where, "samples", record.time_us.samples));
    TOPOPLAN_TRY(readSampleStats(item, where, "time_us", record.time_us));
    auto time = objectField(item, where, "time_us");
    if (!time) return time.error();
    const std::string timeWhere = where + ".time_us";
    SampleStats& t = record.time_us;
    t.mean = t.median;
    if ((*time)->contains("mean")) TOPOPLAN_TRY(readField(**time, timeWhere, "mean", t.mean));
    if ((*time)->contains("cv")) TOPOPLAN_TRY(readField(**time, timeWhere, "cv", t.cv));
    if (item.contains("samples_us"))
      TOPOPLAN_TRY(readNonNegativeNumbers(item, where, "samples_us", record.samples_us));
    auto wrong = item.find("wrong");
    if (wrong != item.end() && !wrong->is_null()) {
      std::uint64_t count = 0;
      TOPOPLAN_TRY(readField(item, where, "wrong", count));
      record.wrong = count;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace topoplan
