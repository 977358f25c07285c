#include "report/documents/allreduce_document.h"

#include <gtest/gtest.h>

#include "core/json_fields.h"

namespace topoplan {
namespace {

AllreduceRecord sampleRecord(bool inPlace) {
  AllreduceRecord record;
  record.algo = "ring";
  record.bytes = 1048576;
  record.count = 262144;
  record.dtype = "float";
  record.op = "sum";
  record.in_place = inPlace;
  record.time_us = summarize({100, 110, 120});
  record.algbw_gbps = 9.5;
  record.busbw_gbps = 14.25;
  if (inPlace) record.wrong = 0;
  return record;
}

TEST(AllreduceDocument, WritesTheContractFieldsAndReadsThemBack) {
  AllreduceRun run;
  run.argv = {"topoplan", "allreduce"};
  run.rankHosts = {"a", "a", "b", "b"};
  run.mpiLibrary = "Open MPI";
  run.records = {sampleRecord(false), sampleRecord(true)};
  run.waived = {{"nccl", "no CUDA device"}};
  nlohmann::ordered_json doc = allreduceDocument(run);
  EXPECT_EQ(doc["schema"], "topoplan.allreduce/v1");
  EXPECT_EQ(doc["ranks"], 4);
  EXPECT_EQ(doc["hosts"], nlohmann::ordered_json::array({"a", "b"}));
  EXPECT_EQ(doc["waived"][0]["algo"], "nccl");
  const auto& first = doc["results"][0];
  for (const char* key : {"algo", "bytes", "count", "dtype", "op", "in_place", "time_us",
                          "algbw_gbps", "busbw_gbps", "wrong", "samples"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_TRUE(first["wrong"].is_null());
  EXPECT_EQ(first["time_us"]["median"], 110.0);

  auto records = readAllreduceRecords(parseJson(doc.dump(), "x").value(), "x.json");
  ASSERT_TRUE(records.ok()) << records.error().message();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_FALSE((*records)[0].wrong.has_value());
  EXPECT_EQ((*records)[1].wrong, 0u);
  EXPECT_EQ((*records)[1].time_us.p90, 118.0);
  EXPECT_EQ((*records)[1].time_us.samples, 3u);
}

TEST(AllreduceDocument, ReaderNamesFileFieldAndExpectation) {
  AllreduceRun run;
  run.records = {sampleRecord(false)};
  nlohmann::ordered_json doc = allreduceDocument(run);
  doc["results"][0]["bytes"] = "12";
  auto bad = readAllreduceRecords(doc, "base.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "base.json.results[0].bytes: \"12\", expected an integer >= 0");
  doc = allreduceDocument(run);
  doc["results"][0]["time_us"].erase("p90");
  EXPECT_EQ(readAllreduceRecords(doc, "b").error().message(),
            "b.results[0].time_us.p90: missing, expected a number");
  doc["schema"] = "topoplan.cluster/v1";
  EXPECT_NE(
      readAllreduceRecords(doc, "b").error().message().find("expected 'topoplan.allreduce/v1'"),
      std::string::npos);
  EXPECT_FALSE(parseJson("{\"a\": [1,", "t.json").ok());
  EXPECT_NE(parseJson("{", "t.json").error().message().find("t.json"), std::string::npos);
}

}  // namespace
}  // namespace topoplan
