// Comparing two runs, metric by metric (metrics.h), and the views of the outcome: a text table,
// a Markdown summary, JUnit XML, the Prometheus text format and the topoplan.compare/v1 document.
//
// The rule. With change = (current - baseline) / baseline and noise = the larger relative spread
// (p90 - p10) / median of the two runs' samples, a metric has regressed when -change exceeds both
// the tolerance and the noise, and improved when +change exceeds both; otherwise it is unchanged.
// Metrics only in the baseline are "missing", only in the current run "new" (neither fails).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/metrics.h"

namespace topoplan {

enum class Verdict { kRegressed, kImproved, kUnchanged, kMissing, kNew };
const char* name(Verdict verdict);

struct Comparison {
  std::string key;
  std::string unit;
  Verdict verdict = Verdict::kUnchanged;
  double baseline = 0;  // NaN when missing
  double current = 0;   // NaN when new
  double change = 0;    // relative
  double noise = 0;     // relative
};

struct CompareResult {
  std::string baselineSource, currentSource;
  double tolerance = 0.05;
  std::vector<Comparison> items;  // regressions first, then improvements, then the rest
  int count(Verdict verdict) const;
};

CompareResult compareMetrics(const MetricSet& baseline, const MetricSet& current, double tolerance);

std::string compareText(const CompareResult& result);
std::string compareMarkdown(const CompareResult& result);
std::string compareJunit(const CompareResult& result);
nlohmann::ordered_json compareDocument(const CompareResult& result,
                                       const std::vector<std::string>& argv);
// The metrics of one run as Prometheus text (for node_exporter's textfile collector).
std::string prometheusText(const MetricSet& metrics);

// Escapes &, <, >, " and ' for XML and HTML text and attributes.
std::string xmlEscape(const std::string& text);

}  // namespace topoplan
