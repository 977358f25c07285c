#include "report/gate/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "core/document.h"
#include "report/gate/significance.h"

namespace topoplan {
namespace {

std::string percent(double fraction, bool sign = true) {
  if (std::isnan(fraction)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, sign ? "%+.1f%%" : "%.1f%%", fraction * 100);
  return buffer;
}

std::string number(double value) {
  if (std::isnan(value)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", value);
  return buffer;
}

int rank(Verdict v) {
  return static_cast<int>(v);
}

std::string promLabel(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string tableCell(const std::string& text) {  // Markdown: a '|' would end the cell
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c == '\n' ? ' ' : c);
  return out;
}

}  // namespace

const char* name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kInconclusive:
      return "inconclusive";
    case Verdict::kUnchanged:
      return "unchanged";
    case Verdict::kMissing:
      return "missing";
    case Verdict::kNew:
      return "new";
  }
  return "?";
}

namespace {

const char* methodName(Method method) {
  switch (method) {
    case Method::kUTest:
      return "mann-whitney-u";
    case Method::kSummary:
      return "summary";
    case Method::kHistory:
      return "t-test-of-runs";
    case Method::kPaired:
      return "paired-t-test";
    case Method::kNone:
      break;
  }
  return "";
}

constexpr Verdict kAllVerdicts[] = {Verdict::kRegressed, Verdict::kImproved, Verdict::kInconclusive,
                                    Verdict::kUnchanged, Verdict::kMissing,  Verdict::kNew};

// The smallest two-sided p the U test can give for samples of n1 and n2: 2 / C(n1 + n2, n1).
double smallestP(int n1, int n2) {
  double choose = 1;
  for (int k = 1; k <= std::min(n1, n2); ++k) choose = choose * (n1 + n2 - k + 1) / k;
  return std::min(1.0, 2 / choose);
}

std::string pText(double p) {
  if (std::isnan(p)) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.1e" : "%.3f", p);
  return buffer;
}

std::string correctionName(const std::string& correction) {
  return correction == "holm" ? "Holm"
         : correction == "bh" ? "Benjamini-Hochberg"
                              : "no correction";
}

// "n=20/20" for tested samples, "runs=8/1" or "pairs=8" for run-level tests, "no samples" for
// the summary rule.
std::string samplesText(const Comparison& c) {
  switch (c.method) {
    case Method::kSummary:
      return "no samples";
    case Method::kNone:
      return "-";
    case Method::kHistory:
      return "runs=" + std::to_string(c.baselineRuns) + "/" + std::to_string(c.currentRuns);
    case Method::kPaired:
      return "pairs=" + std::to_string(c.currentRuns);
    case Method::kUTest:
      break;
  }
  return "n=" + std::to_string(c.baselineSamples) + "/" + std::to_string(c.currentSamples);
}

// What an inconclusive metric would need to be decided.
std::string neededText(const Comparison& c) {
  if (c.method == Method::kHistory)
    return std::to_string(c.runsNeeded) + " baseline runs (between-run noise " +
           percent(c.noise, false) + ")";
  if (c.method == Method::kPaired) return std::to_string(c.runsNeeded) + " A/B pairs";
  return std::to_string(c.samplesNeeded) + " samples per run";
}

std::string countsLine(const CompareResult& r) {
  std::string text;
  for (Verdict v : kAllVerdicts)
    text += (text.empty() ? "" : ", ") + std::to_string(r.count(v)) + " " + name(v);
  return text;
}

}  // namespace

int CompareResult::count(Verdict verdict) const {
  return static_cast<int>(std::count_if(items.begin(), items.end(),
                                        [&](const Comparison& c) { return c.verdict == verdict; }));
}

int CompareResult::count(Method method) const {
  return static_cast<int>(std::count_if(items.begin(), items.end(),
                                        [&](const Comparison& c) { return c.method == method; }));
}

double correctionFactor(int tests, const std::string& correction) {
  return correction == "none" ? 1.0 : std::max(tests, 1);
}

std::vector<double> adjustP(const std::vector<double>& p, const std::string& correction) {
  return correction == "holm" ? holm(p) : correction == "bh" ? benjaminiHochberg(p) : p;
}

Verdict verdictOf(double change, double tolerance, bool significant) {
  if (!significant) return Verdict::kUnchanged;
  return -change > tolerance  ? Verdict::kRegressed
         : change > tolerance ? Verdict::kImproved
                              : Verdict::kUnchanged;
}

void sortByVerdict(std::vector<Comparison>& items) {
  std::stable_sort(items.begin(), items.end(), [](const Comparison& a, const Comparison& b) {
    return rank(a.verdict) < rank(b.verdict);
  });
}

int samplesNeededForAlpha(double alpha, int tests, const std::string& correction) {
  const double factor = correctionFactor(tests, correction);
  int n = 2;
  while (n < 1000 && smallestP(n, n) * factor >= alpha) ++n;
  return n;
}

std::string compareRule(const CompareSettings& s, CompareMode mode) {
  const std::string decided = "; regressed when the drop exceeds the tolerance (" +
                              percent(s.tolerance, false) +
                              ") and the adjusted p is below alpha (" + pText(s.alpha) +
                              ") after " + correctionName(s.correction);
  if (mode == CompareMode::kHistory)
    return "the run is the unit: each run's median per metric is one value, in log scale; the "
           "candidate runs' mean against the mean of the latest " +
           std::to_string(s.window) +
           " baseline runs, by a t test whose spread is the error of that same prediction at "
           "every earlier point of the history (never below the independent-runs figure nor the "
           "candidate's own samples' standard error of the median); with fewer than " +
           std::to_string(s.window) +
           " + m + 2 baseline runs (m candidate runs), against all of them as independent runs "
           "(two-sample t test)" +
           decided +
           "; inconclusive when the change exceeds the tolerance and more baseline runs would "
           "decide it. A metric in only one baseline run is judged as two runs are";
  if (mode == CompareMode::kPaired)
    return "interleaved A/B runs paired by position: each run's median per metric is one value; "
           "the log ratio B/A of each pair, tested by the paired t test (drift between pairs "
           "cancels)" +
           decided +
           "; inconclusive when the change exceeds the tolerance and more pairs would decide it";
  return "with samples in both runs: Mann-Whitney U test of the two sample sets, p-values "
         "adjusted by " +
         correctionName(s.correction) + "; regressed when the drop exceeds the tolerance (" +
         percent(s.tolerance, false) + ") and the adjusted p is below alpha (" + pText(s.alpha) +
         "); inconclusive when the change exceeds the tolerance but too few samples (fewer than " +
         std::to_string(s.minSamples) +
         ", or too few to reach alpha) to decide. Without samples (older documents, nccl-tests "
         "logs), no test is possible: regressed when the drop exceeds both the tolerance and "
         "the noise, the larger (p90 - p10) / median of the two runs";
}

CompareResult compareMetrics(const MetricSet& baseline, const MetricSet& current,
                             const CompareSettings& settings) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CompareResult result;
  result.baselineSource = baseline.source;
  result.currentSource = current.source;
  result.settings = settings;
  std::map<std::string, const Metric*> now;
  for (const Metric& m : current.metrics) now.emplace(m.key, &m);
  std::map<std::string, bool> matched;
  std::vector<std::size_t> tested;
  std::vector<double> pValues;
  for (const Metric& base : baseline.metrics) {
    Comparison c{base.key,
                 base.unit,
                 Verdict::kMissing,
                 Method::kNone,
                 base.value,
                 nan,
                 nan,
                 base.noise,
                 base.samples,
                 0,
                 nan,
                 nan,
                 0};
    auto it = now.find(base.key);
    if (it == now.end()) {
      result.items.push_back(c);
      continue;
    }
    matched[base.key] = true;
    const Metric& cur = *it->second;
    c.current = cur.value;
    c.currentSamples = cur.samples;
    c.noise = std::max(base.noise, cur.noise);
    c.change = base.value > 0 ? (cur.value - base.value) / base.value : 0;
    if (base.sampleValues.empty() || cur.sampleValues.empty()) {
      c.method = Method::kSummary;
      c.verdict = verdictOf(c.change, std::max(settings.tolerance, c.noise), true);
    } else {
      c.method = Method::kUTest;
      c.baselineSamples = static_cast<int>(base.sampleValues.size());
      c.currentSamples = static_cast<int>(cur.sampleValues.size());
      c.verdict = Verdict::kUnchanged;
      if (std::min(c.baselineSamples, c.currentSamples) >= settings.minSamples) {
        c.p = mannWhitney(base.sampleValues, cur.sampleValues).p;
        tested.push_back(result.items.size());
        pValues.push_back(c.p);
      } else if (std::fabs(c.change) > settings.tolerance) {
        c.verdict = Verdict::kInconclusive;
      }
    }
    result.items.push_back(c);
  }
  const std::vector<double> adjusted = adjustP(pValues, settings.correction);
  const int tests = static_cast<int>(tested.size());
  const int needed = std::max(settings.minSamples,
                              samplesNeededForAlpha(settings.alpha, tests, settings.correction));
  for (std::size_t k = 0; k < tested.size(); ++k) {
    Comparison& c = result.items[tested[k]];
    c.pAdjusted = adjusted[k];
    c.verdict = verdictOf(c.change, settings.tolerance, c.pAdjusted < settings.alpha);
    const bool reachable = smallestP(c.baselineSamples, c.currentSamples) *
                               correctionFactor(tests, settings.correction) <
                           settings.alpha;
    if (c.verdict == Verdict::kUnchanged && !reachable && std::fabs(c.change) > settings.tolerance)
      c.verdict = Verdict::kInconclusive;
  }
  for (Comparison& c : result.items)
    if (c.verdict == Verdict::kInconclusive) c.samplesNeeded = needed;
  for (const Metric& cur : current.metrics) {
    if (matched.count(cur.key) == 0)
      result.items.push_back({cur.key, cur.unit, Verdict::kNew, Method::kNone, nan, cur.value, nan,
                              cur.noise, 0, cur.samples, nan, nan, 0});
  }
  sortByVerdict(result.items);
  return result;
}

std::string compareText(const CompareResult& r) {
  char buffer[160];
  std::string text = "# compare " + r.baselineSource + " -> " + r.currentSource +
                     "\n# rule: " + compareRule(r.settings, r.mode) + "\n";
  if (!r.note.empty()) text += "# note: " + r.note + "\n";
  text += "# verdict        baseline    current   change    noise  p(adj)    samples    metric\n";
  for (const Comparison& c : r.items) {
    std::snprintf(buffer, sizeof buffer, "%-12s %10s %10s %8s %8s %8s %-10s  ", name(c.verdict),
                  number(c.baseline).c_str(), number(c.current).c_str(), percent(c.change).c_str(),
                  percent(c.noise, false).c_str(), pText(c.pAdjusted).c_str(),
                  samplesText(c).c_str());
    text += buffer + c.key + " (" + c.unit + ")";
    if (c.verdict == Verdict::kInconclusive) text += ": needs " + neededText(c);
    text += "\n";
  }
  if (r.count(Method::kSummary) > 0)
    text += "# " + std::to_string(r.count(Method::kSummary)) +
            " metric(s) without samples in both runs: no test was possible, judged by the "
            "summary rule\n";
  text += "# " + countsLine(r) + "\n";
  return text;
}

std::string compareMarkdown(const CompareResult& r) {
  const int regressed = r.count(Verdict::kRegressed);
  std::string text =
      std::string("### topoplan compare: ") +
      (regressed > 0 ? "❌ " + std::to_string(regressed) + " regression(s)" : "✅ no regression") +
      "\n\n";
  text += "Baseline `" + tableCell(r.baselineSource) + "`, current `" + tableCell(r.currentSource) +
          "`. Rule: " + tableCell(compareRule(r.settings, r.mode)) + ".\n\n";
  if (!r.note.empty()) text += "**Note:** " + tableCell(r.note) + ".\n\n";
  text += "| verdict | count |\n| --- | ---: |\n";
  for (Verdict v : kAllVerdicts)
    text += std::string("| ") + name(v) + " | " + std::to_string(r.count(v)) + " |\n";
  if (r.count(Method::kSummary) > 0)
    text += "\n" + std::to_string(r.count(Method::kSummary)) +
            " metric(s) had no samples in both runs: no test was possible (summary rule).\n";
  bool header = false;
  for (const Comparison& c : r.items) {
    if (c.verdict == Verdict::kUnchanged) continue;
    if (!header) {
      text +=
          "\n| verdict | metric | baseline | current | change | noise | p (adjusted) | samples |\n"
          "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n";
      header = true;
    }
    text += std::string("| ") + name(c.verdict) + " | " + tableCell(c.key) + " (" + c.unit +
            ") | " + number(c.baseline) + " | " + number(c.current) + " | " + percent(c.change) +
            " | " + percent(c.noise, false) + " | " + pText(c.pAdjusted) + " | " + samplesText(c) +
            (c.verdict == Verdict::kInconclusive ? ", needs " + neededText(c) : std::string()) +
            " |\n";
  }
  return text;
}

std::string compareJunit(const CompareResult& r) {
  int tests = 0;
  std::string cases;
  for (const Comparison& c : r.items) {
    if (c.verdict == Verdict::kNew) continue;
    ++tests;
    const std::string className = c.key.substr(0, c.key.find(' '));
    cases += "    <testcase classname=\"topoplan." + xmlEscape(className) + "\" name=\"" +
             xmlEscape(c.key + " " + c.unit) + "\"";
    const std::string figures =
        c.unit + " " + number(c.current) + " vs baseline " + number(c.baseline) + " (" +
        percent(c.change) + ", tolerance " + percent(r.settings.tolerance, false) + ", " +
        (c.method == Method::kUTest || c.method == Method::kHistory || c.method == Method::kPaired
             ? "p " + pText(c.pAdjusted) + " adjusted by " + correctionName(r.settings.correction) +
                   ", alpha " + pText(r.settings.alpha) + ", " + samplesText(c)
             : "no samples: noise " + percent(c.noise, false)) +
        ")";
    if (c.verdict == Verdict::kRegressed) {
      cases += ">\n      <failure message=\"" + xmlEscape(figures) +
               "\" type=\"regression\"/>\n    </testcase>\n";
    } else if (c.verdict == Verdict::kMissing) {
      cases += ">\n      <skipped message=\"not in the current run\"/>\n    </testcase>\n";
    } else if (c.verdict == Verdict::kInconclusive) {
      cases += ">\n      <skipped message=\"" +
               xmlEscape("inconclusive: " + figures + "; needs " + neededText(c)) +
               "\"/>\n    </testcase>\n";
    } else {
      cases += ">\n      <system-out>" + xmlEscape(figures) + "</system-out>\n    </testcase>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"" +
         xmlEscape("topoplan compare " + r.baselineSource + " -> " + r.currentSource) +
         "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(r.count(Verdict::kRegressed)) + "\" skipped=\"" +
         std::to_string(r.count(Verdict::kMissing) + r.count(Verdict::kInconclusive)) + "\">\n" +
         cases + "  </testsuite>\n</testsuites>\n";
}

nlohmann::ordered_json compareDocument(const CompareResult& r,
                                       const std::vector<std::string>& argv) {
  nlohmann::ordered_json doc = makeDocumentHeader("compare", 1, argv, {});
  doc["baseline"] = r.baselineSource;
  doc["current"] = r.currentSource;
  doc["tolerance"] = r.settings.tolerance;
  doc["alpha"] = r.settings.alpha;
  doc["min_samples"] = r.settings.minSamples;
  doc["correction"] = r.settings.correction;
  doc["mode"] = r.mode == CompareMode::kHistory  ? "history"
                : r.mode == CompareMode::kPaired ? "paired"
                                                 : "two-runs";
  doc["rule"] = compareRule(r.settings, r.mode);
  if (!r.note.empty()) doc["note"] = r.note;
  nlohmann::ordered_json counts;
  for (Verdict v : kAllVerdicts) counts[name(v)] = r.count(v);
  doc["counts"] = counts;
  doc["tested"] = r.count(Method::kUTest) + r.count(Method::kHistory) + r.count(Method::kPaired);
  doc["without_samples"] = r.count(Method::kSummary);
  doc["items"] = nlohmann::ordered_json::array();
  auto orNull = [](double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
  };
  for (const Comparison& c : r.items) {
    nlohmann::ordered_json item = {
        {"metric", c.key},
        {"unit", c.unit},
        {"verdict", name(c.verdict)},
        {"method", c.method == Method::kNone ? nlohmann::ordered_json(nullptr)
                                             : nlohmann::ordered_json(methodName(c.method))},
        {"baseline", orNull(c.baseline)},
        {"current", orNull(c.current)},
        {"change", orNull(c.change)},
        {"noise", orNull(c.noise)},
        {"p_value", orNull(c.p)},
        {"p_adjusted", orNull(c.pAdjusted)},
        {"baseline_samples", c.baselineSamples},
        {"current_samples", c.currentSamples}};
    if (c.method == Method::kHistory || c.method == Method::kPaired) {
      item["baseline_runs"] = c.baselineRuns;
      item["current_runs"] = c.currentRuns;
    }
    if (c.verdict == Verdict::kInconclusive) {
      if (c.method == Method::kHistory || c.method == Method::kPaired)
        item[c.method == Method::kPaired ? "pairs_needed" : "baseline_runs_needed"] = c.runsNeeded;
      else
        item["samples_needed"] = c.samplesNeeded;
    }
    doc["items"].push_back(item);
  }
  return doc;
}

std::string prometheusText(const MetricSet& set) {
  std::map<std::string, std::string> series;  // metric name -> lines
  for (const Metric& m : set.metrics) {
    const std::string metricName =
        "topoplan_" + std::string(m.unit == "bw_gbps" ? "link_" : "collective_") + m.unit;
    std::string line = metricName + "{";
    for (std::size_t i = 0; i < m.labels.size(); ++i)
      line += (i ? "," : "") + m.labels[i].first + "=\"" + promLabel(m.labels[i].second) + "\"";
    char value[40];
    std::snprintf(value, sizeof value, "} %.9g\n", m.value);
    series[metricName] += line + value;
  }
  std::string text;
  for (const auto& [metricName, lines] : series) {
    text += "# HELP " + metricName + " topoplan " +
            (metricName.find("link") != std::string::npos
                 ? "measured link bandwidth, GB/s (1e9 bytes/s), median of the samples"
                 : "collective bus bandwidth as nccl-tests defines it, GB/s (1e9 bytes/s)") +
            "\n# TYPE " + metricName + " gauge\n" + lines;
  }
  return text;
}

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += "?";  // not allowed in XML 1.0
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace topoplan
