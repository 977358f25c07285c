#include "report/gate/verify_verdict.h"
#include "report/documents/verify_document.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

VerifiedCandidate measured(const std::string& name, std::vector<std::string> hosts, double timeUs,
                           double predictedBusbw) {
  VerifiedCandidate c;
  c.name = name;
  c.hosts = std::move(hosts);
  c.predictedBusbwGbps = predictedBusbw;
  c.ranks = 4;
  for (int i = 0; i < 10; ++i) c.samplesUs.push_back(timeUs * (1 + 0.01 * (i % 5)));
  c.timeUs = summarize(c.samplesUs);
  c.busbwGbps = 1e6 / c.timeUs.median;  // any figure inversely proportional to the time
  return c;
}

TEST(VerifyVerdict, AGangSlowerThanABaselineBeyondNoiseFails) {
  VerifyRun run;
  run.candidates = {measured("gang", {"a", "b"}, 100, 10000),
                    measured("spread", {"c", "d"}, 80, 5000)};
  const VerifyVerdict verdict = judge(run);
  ASSERT_EQ(verdict.comparisons.size(), 1u);
  EXPECT_NEAR(verdict.comparisons[0].speedup, 0.8, 0.01);
  EXPECT_TRUE(verdict.comparisons[0].gangSlower);
  ASSERT_EQ(verdict.failures.size(), 1u);
  EXPECT_NE(verdict.failures[0].find("the gang measures slower than spread"), std::string::npos);
}

TEST(VerifyVerdict, WithinNoiseOrFasterPasses) {
  VerifyRun run;
  auto gang = measured("gang", {"a", "b"}, 100, 10000);
  auto close = measured("random", {"c", "d"}, 100, 5000);
  std::reverse(close.samplesUs.begin(), close.samplesUs.end());  // the same times, another order
  run.candidates = {gang, close, measured("first-fit", {"e", "f"}, 300, 3000)};
  const VerifyVerdict verdict = judge(run);
  EXPECT_TRUE(verdict.failures.empty()) << verdict.failures.front();
  ASSERT_EQ(verdict.comparisons.size(), 2u);
  EXPECT_NEAR(verdict.comparisons[1].speedup, 3.0, 0.01);
  EXPECT_LT(verdict.comparisons[1].p, 0.05);
}

TEST(VerifyVerdict, DuplicatesShareTheirMeasurementAndToleranceChecksThePrediction) {
  VerifyRun run;
  VerifiedCandidate bestFit;
  bestFit.name = "best-fit";
  bestFit.hosts = {"a", "b"};
  bestFit.sameAs = "gang";
  run.candidates = {measured("gang", {"a", "b"}, 100, 20000), bestFit};
  run.tolerancePct = 25;
  const VerifyVerdict verdict = judge(run);
  ASSERT_EQ(verdict.comparisons.size(), 1u);
  EXPECT_EQ(verdict.comparisons[0].other, "best-fit");
  EXPECT_EQ(verdict.comparisons[0].speedup, 1.0);
  ASSERT_EQ(verdict.failures.size(), 1u) << "predicted 20000 against a measured 9804";
  EXPECT_NE(verdict.failures[0].find("+104.0% off its measured"), std::string::npos)
      << verdict.failures[0];
  const auto doc = verifyDocument(run, verdict);
  EXPECT_EQ(doc["schema"], "topoplan.verify/v1");
  EXPECT_EQ(doc["candidates"][1]["same_as"], "gang");
  EXPECT_EQ(doc["candidates"][1]["measured"]["busbw_gbps"],
            doc["candidates"][0]["measured"]["busbw_gbps"]);
  EXPECT_EQ(doc["passed"], false);
  auto read = readVerifyDocument(doc, "v.json");
  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_NEAR(read->candidates[1].busbwGbps, run.candidates[0].busbwGbps, 0.01);
}

// A run that measured no gang (its ranks were elsewhere) never passes, in the text or the document.
TEST(VerifyVerdict, NothingMeasuredNeverPasses) {
  VerifyRun run;
  VerifiedCandidate gang;
  gang.name = "gang";
  gang.hosts = {"a", "b"};
  run.candidates = {gang, measured("spread", {"c", "d"}, 80, 5000)};
  for (const VerifyRun& r : {run, VerifyRun{}}) {
    const VerifyVerdict verdict = judge(r);
    ASSERT_EQ(verdict.failures.size(), 1u);
    EXPECT_EQ(verdict.failures[0], "the gang was not measured: nothing to compare");
    EXPECT_EQ(verifyText(r, verdict).find("PASSED"), std::string::npos);
    EXPECT_FALSE(verifyDocument(r, verdict)["passed"].get<bool>());
  }
}

TEST(VerifyDocument, ErrorsNameTheField) {
  nlohmann::ordered_json doc = {{"schema", "topoplan.verify/v1"},
                                {"collective", {{"pattern", "ring"}, {"bytes", 8u}}},
                                {"candidates", {{{"name", "gang"}, {"hosts", {"a"}}}}}};
  EXPECT_EQ(readVerifyDocument(doc, "v.json").error().message(),
            "v.json.candidates[0].predicted: missing, expected an object");
}

}  // namespace
}  // namespace topoplan
