#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include "report/gate/compare.h"
#include "report/gate/metrics.h"
#include "tests/test_data.h"

namespace topoplan {
namespace {

MetricSet parseLog(const std::string& name) {
  auto set = parseNcclTestsLog(readTestData("logs/" + name), name);
  EXPECT_TRUE(set.ok()) << (set.ok() ? "" : set.error().message());
  return set.ok() ? *set : MetricSet{};
}

const Metric* find(const MetricSet& set, const std::string& key) {
  for (const Metric& m : set.metrics) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

TEST(NcclTestsLog, ReadsTheFourRealLogs) {
  // Rows of size 0 carry no bandwidth and are left out; repeated rows are kept once.
  const MetricSet allreduce = parseLog("nccl_allreduce.log");
  EXPECT_EQ(allreduce.metrics.size(), 64u);  // 32 sizes (4 B .. 8 GiB) x out/in-place
  const Metric* big = find(allreduce, "allreduce nccl float sum out-of-place 8589934592");
  ASSERT_NE(big, nullptr);
  EXPECT_DOUBLE_EQ(big->value, 235.26);  // "63896  134.44  235.26  N/A" in the log
  const MetricSet allgather = parseLog("nccl_allgather.log");  // no redop column
  ASSERT_FALSE(allgather.metrics.empty());
  EXPECT_EQ(allgather.metrics[0].key.rfind("allgather nccl float none ", 0), 0u);
  const MetricSet alltoall = parseLog("nccl_alltoall.log");  // an empty redop column
  EXPECT_NE(find(alltoall, "alltoall nccl float none in-place 8589934592"), nullptr);
  const MetricSet scatter = parseLog("nccl_reducescatter.log");
  EXPECT_EQ(scatter.metrics[0].key.rfind("reducescatter nccl float sum ", 0), 0u);
}

TEST(NcclTestsJson, ReadsTheResultsOfDashJ) {
  const ScratchFile file("all_reduce_perf.json", R"({"config": {"nranks": 8}, "results": [
      {"name": "all_reduce_perf", "size": 0, "type": "float", "redop": "sum", "inPlace": 0,
       "time": 30.1, "algBw": 0, "busBw": 0, "wrong": 0},
      {"name": "all_reduce_perf", "size": 1048576, "type": "float", "redop": "sum", "inPlace": 0,
       "time": 40.2, "algBw": 26.1, "busBw": 45.6, "wrong": 0},
      {"name": "all_reduce_perf", "size": 1048576, "type": "float", "redop": "sum", "inPlace": 1,
       "time": 40.9, "algBw": 25.6, "busBw": 44.9, "wrong": 0}]})");
  const std::string& path = file.path();
  auto set = readMetrics(path);
  ASSERT_TRUE(set.ok()) << set.error().message();
  EXPECT_EQ(set->kind, "nccl-tests");
  ASSERT_EQ(set->metrics.size(), 2u);  // the size-0 row carries no bandwidth
  EXPECT_EQ(set->metrics[1].key, "allreduce nccl float sum in-place 1048576");
  EXPECT_DOUBLE_EQ(set->metrics[1].value, 44.9);
  // The same figures as the text log's rows match: an nccl-tests baseline keeps working.
  auto log = parseNcclTestsLog(
      "#  size count type redop root time algbw busbw #wrong time algbw busbw #wrong\n"
      "1048576 262144 float sum -1 40.2 26.1 45.6 0 40.9 25.6 44.9 0\n",
      "all_reduce_perf.log");
  ASSERT_TRUE(log.ok()) << log.error().message();
  const CompareResult r = compareMetrics(*log, *set, {0.05});
  EXPECT_EQ(r.count(Verdict::kUnchanged), 2);
}

TEST(NcclTestsLog, BadRowsNameTheLine) {
  auto set = parseNcclTestsLog(
      "#  size count type redop time algbw busbw error time algbw busbw error\n"
      "1024 256 float sum 10.0 0.1 x N/A 10.0 0.1 0.2 N/A\n",
      "bad.log");
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message().find("bad.log:2: expected busbw numbers"), std::string::npos);
  EXPECT_FALSE(parseNcclTestsLog("just text\n", "t.log").ok());
}

MetricSet oneMetric(double value, double noise) {
  Metric m;
  m.key = "allreduce ring float sum out-of-place 1024";
  m.unit = "busbw_gbps";
  m.value = value;
  m.noise = noise;
  return MetricSet{"s", "allreduce", {m}, {}};
}

TEST(Compare, ToleranceAndNoiseBothMustBeExceeded) {
  EXPECT_EQ(compareMetrics(oneMetric(10, 0), oneMetric(10, 0), {0.05}).items[0].verdict,
            Verdict::kUnchanged);
  EXPECT_EQ(compareMetrics(oneMetric(10, 0), oneMetric(9.6, 0), {0.05}).items[0].verdict,
            Verdict::kUnchanged);  // within the tolerance
  EXPECT_EQ(compareMetrics(oneMetric(10, 0), oneMetric(8, 0), {0.05}).items[0].verdict,
            Verdict::kRegressed);
  EXPECT_EQ(compareMetrics(oneMetric(10, 0.3), oneMetric(8, 0.02), {0.05}).items[0].verdict,
            Verdict::kUnchanged);  // a 20% drop inside 30% noise
  EXPECT_EQ(compareMetrics(oneMetric(10, 0), oneMetric(12, 0), {0.05}).items[0].verdict,
            Verdict::kImproved);
  MetricSet other = oneMetric(10, 0);
  other.metrics[0].key = "allreduce rhd float sum out-of-place 1024";
  const CompareResult r = compareMetrics(oneMetric(10, 0), other, {0.05});
  EXPECT_EQ(r.count(Verdict::kMissing), 1);
  EXPECT_EQ(r.count(Verdict::kNew), 1);
}

// n lognormal samples around `median` with coefficient of variation about `cv`.
std::vector<double> lognormal(std::mt19937& rng, int n, double median, double cv) {
  std::normal_distribution<double> z(0, std::sqrt(std::log(1 + cv * cv)));
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(median * std::exp(z(rng)));
  return out;
}

MetricSet sampled(const std::vector<std::vector<double>>& samples) {
  MetricSet set{"s", "allreduce", {}, {}};
  for (std::size_t i = 0; i < samples.size(); ++i) {
    Metric m;
    m.key = "allreduce ring float sum out-of-place " + std::to_string(1024 * (i + 1));
    m.unit = "busbw_gbps";
    std::vector<double> sorted = samples[i];
    std::sort(sorted.begin(), sorted.end());
    m.value = sorted[sorted.size() / 2];
    m.samples = static_cast<int>(sorted.size());
    m.sampleValues = samples[i];
    set.metrics.push_back(m);
  }
  return set;
}

TEST(Compare, SamplesAreTestedNotTheirSpread) {
  std::mt19937 rng(7);
  // A 30% drop under 30% iteration noise: the spread rule would hide it; the test sees it.
  const auto base = lognormal(rng, 30, 10, 0.3), slower = lognormal(rng, 30, 7, 0.3);
  CompareResult r = compareMetrics(sampled({base}), sampled({slower}), {0.05});
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].method, Method::kUTest);
  EXPECT_EQ(r.items[0].verdict, Verdict::kRegressed);
  EXPECT_LT(r.items[0].pAdjusted, 0.05);
  // The same distribution: unchanged, whatever the change of the medians.
  r = compareMetrics(sampled({base}), sampled({lognormal(rng, 30, 10, 0.3)}), {0.05});
  EXPECT_EQ(r.items[0].verdict, Verdict::kUnchanged);
  EXPECT_GE(r.items[0].pAdjusted, 0.05);
}

TEST(Compare, TooFewSamplesIsInconclusiveWithTheNumberNeeded) {
  const std::vector<double> base = {10, 10.1, 9.9}, slower = {7, 7.1, 6.9};
  CompareResult r = compareMetrics(sampled({base}), sampled({slower}), {0.05});
  EXPECT_EQ(r.items[0].verdict, Verdict::kInconclusive);
  EXPECT_EQ(r.items[0].samplesNeeded, 5);  // --min-samples
  // Allowed by --min-samples, but 3 against 3 can never reach p < 0.05 (2 / C(6, 3) = 0.1).
  r = compareMetrics(sampled({base}), sampled({slower}), {0.05, 0.05, 3});
  EXPECT_EQ(r.items[0].verdict, Verdict::kInconclusive);
  EXPECT_EQ(r.items[0].samplesNeeded, 4);
  EXPECT_NEAR(r.items[0].p, 0.1, 1e-9);
  // Within the tolerance, too few samples do not matter: unchanged.
  r = compareMetrics(sampled({base}), sampled({{10, 10.2, 9.8}}), {0.05});
  EXPECT_EQ(r.items[0].verdict, Verdict::kUnchanged);
  EXPECT_EQ(samplesNeededForAlpha(0.05, 1, "holm"), 4);
  EXPECT_EQ(samplesNeededForAlpha(0.05, 50, "holm"), 7);  // 2 / C(14, 7) * 50 < 0.05
}

TEST(Compare, ManyMetricsKeepTheFalseAlarmsOfTheRunBelowAlpha) {
  std::mt19937 rng(11);
  int runsWithAnAlarm = 0, runsWithAnAlarmUncorrected = 0;
  for (int run = 0; run < 200; ++run) {
    std::vector<std::vector<double>> base, current;
    for (int m = 0; m < 50; ++m) {
      base.push_back(lognormal(rng, 20, 10, 0.15));
      current.push_back(lognormal(rng, 20, 10, 0.15));
    }
    // tolerance 0: every significant difference counts
    const CompareResult holm =
        compareMetrics(sampled(base), sampled(current), {0, 0.05, 5, "holm"});
    const CompareResult none =
        compareMetrics(sampled(base), sampled(current), {0, 0.05, 5, "none"});
    runsWithAnAlarm += holm.count(Verdict::kRegressed) + holm.count(Verdict::kImproved) > 0;
    runsWithAnAlarmUncorrected +=
        none.count(Verdict::kRegressed) + none.count(Verdict::kImproved) > 0;
  }
  EXPECT_LT(runsWithAnAlarm, 200 * 0.05 * 1.6);    // ~5% at most, with room for chance
  EXPECT_GT(runsWithAnAlarmUncorrected, 200 / 2);  // without it, most runs of 50 cry wolf
}

TEST(Compare, WithoutSamplesTheSummaryRuleAndItSaysSo) {
  const CompareResult r = compareMetrics(oneMetric(10, 0), oneMetric(8, 0), {0.05});
  EXPECT_EQ(r.items[0].method, Method::kSummary);
  EXPECT_TRUE(std::isnan(r.items[0].p));
  EXPECT_NE(compareText(r).find("no test was possible"), std::string::npos);
  EXPECT_NE(compareMarkdown(r).find("no test was possible"), std::string::npos);
}

TEST(Compare, ViewsNameTheRegressionAndEscape) {
  MetricSet base = oneMetric(10, 0), current = oneMetric(8, 0);
  base.metrics[0].key = current.metrics[0].key = "link 0@a<b&\"c\"<->1@d|e mpi net";
  base.metrics[0].labels = current.metrics[0].labels = {{"host_a", "a\"b\\c\nd"}};
  const CompareResult r = compareMetrics(base, current, {0.05});
  const std::string junit = compareJunit(r);
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(junit.find("name=\"link 0@a&lt;b&amp;&quot;c&quot;&lt;-&gt;1@d|e mpi net busbw_gbps\""),
            std::string::npos)
      << junit;
  EXPECT_NE(junit.find("-20.0%"), std::string::npos);
  const std::string markdown = compareMarkdown(r);
  EXPECT_NE(markdown.find("1 regression(s)"), std::string::npos);
  EXPECT_NE(markdown.find("d\\|e"), std::string::npos) << markdown;
  EXPECT_EQ(prometheusText(current),
            "# HELP topoplan_collective_busbw_gbps topoplan collective bus bandwidth as nccl-tests "
            "defines it, GB/s (1e9 bytes/s)\n"
            "# TYPE topoplan_collective_busbw_gbps gauge\n"
            "topoplan_collective_busbw_gbps{host_a=\"a\\\"b\\\\c\\nd\"} 8\n");
}

TEST(Metrics, TopoplanDocumentsCarryTheirNoise) {
  auto set = readMetrics(std::string(TOPOPLAN_TEST_DATA) + "/compare/noisy.json");
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ(set->metrics.size(), 24u);
  EXPECT_NEAR(set->metrics[0].noise, 0.30, 1e-9);
  auto cluster = readMetrics(std::string(TOPOPLAN_TEST_DATA) + "/probe/planted-racks.json");
  ASSERT_TRUE(cluster.ok()) << cluster.error().message();
  EXPECT_EQ(cluster->kind, "cluster");
  EXPECT_EQ(cluster->metrics[0].unit, "bw_gbps");
  EXPECT_EQ(cluster->metrics[0].key.rfind("link 0@r1n1<->1@r1n2 ", 0), 0u)
      << cluster->metrics[0].key;
}

}  // namespace
}  // namespace topoplan
