#include "report/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "core/document.h"

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
    case Verdict::kUnchanged:
      return "unchanged";
    case Verdict::kMissing:
      return "missing";
    case Verdict::kNew:
      return "new";
  }
  return "?";
}

int CompareResult::count(Verdict verdict) const {
  return static_cast<int>(std::count_if(items.begin(), items.end(),
                                        [&](const Comparison& c) { return c.verdict == verdict; }));
}

CompareResult compareMetrics(const MetricSet& baseline, const MetricSet& current,
                             double tolerance) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CompareResult result{baseline.source, current.source, tolerance, {}};
  std::map<std::string, const Metric*> now;
  for (const Metric& m : current.metrics) now.emplace(m.key, &m);
  std::map<std::string, bool> matched;
  for (const Metric& base : baseline.metrics) {
    Comparison c{base.key, base.unit, Verdict::kMissing, base.value, nan, nan, base.noise};
    if (auto it = now.find(base.key); it != now.end()) {
      matched[base.key] = true;
      const Metric& cur = *it->second;
      c.current = cur.value;
      c.noise = std::max(base.noise, cur.noise);
      c.change = base.value > 0 ? (cur.value - base.value) / base.value : 0;
      const double threshold = std::max(tolerance, c.noise);
      c.verdict = -c.change > threshold  ? Verdict::kRegressed
                  : c.change > threshold ? Verdict::kImproved
                                         : Verdict::kUnchanged;
    }
    result.items.push_back(c);
  }
  for (const Metric& cur : current.metrics) {
    if (matched.count(cur.key) == 0)
      result.items.push_back({cur.key, cur.unit, Verdict::kNew, nan, cur.value, nan, cur.noise});
  }
  std::stable_sort(
      result.items.begin(), result.items.end(),
      [](const Comparison& a, const Comparison& b) { return rank(a.verdict) < rank(b.verdict); });
  return result;
}

std::string compareText(const CompareResult& r) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", r.tolerance * 100);
  std::string text = "# compare " + r.baselineSource + " -> " + r.currentSource + " (tolerance " +
                     buffer + ", or the noise when larger)\n";
  text += "# verdict      baseline    current   change    noise  metric\n";
  for (const Comparison& c : r.items) {
    std::snprintf(buffer, sizeof buffer, "%-10s %10s %10s %8s %8s  ", name(c.verdict),
                  number(c.baseline).c_str(), number(c.current).c_str(), percent(c.change).c_str(),
                  percent(c.noise, false).c_str());
    text += buffer + c.key + " (" + c.unit + ")\n";
  }
  text += "# " + std::to_string(r.count(Verdict::kRegressed)) + " regressed, " +
          std::to_string(r.count(Verdict::kImproved)) + " improved, " +
          std::to_string(r.count(Verdict::kUnchanged)) + " unchanged, " +
          std::to_string(r.count(Verdict::kMissing)) + " missing, " +
          std::to_string(r.count(Verdict::kNew)) + " new\n";
  return text;
}

std::string compareMarkdown(const CompareResult& r) {
  const int regressed = r.count(Verdict::kRegressed);
  std::string text =
      std::string("### topoplan compare: ") +
      (regressed > 0 ? "❌ " + std::to_string(regressed) + " regression(s)" : "✅ no regression") +
      "\n\n";
  text += "Baseline `" + tableCell(r.baselineSource) + "`, current `" + tableCell(r.currentSource) +
          "`, tolerance " + percent(r.tolerance, false) +
          " (or the samples' noise, if larger).\n\n";
  text += "| verdict | count |\n| --- | ---: |\n";
  for (Verdict v : {Verdict::kRegressed, Verdict::kImproved, Verdict::kUnchanged, Verdict::kMissing,
                    Verdict::kNew})
    text += std::string("| ") + name(v) + " | " + std::to_string(r.count(v)) + " |\n";
  bool header = false;
  for (const Comparison& c : r.items) {
    if (c.verdict == Verdict::kUnchanged) continue;
    if (!header) {
      text +=
          "\n| verdict | metric | baseline | current | change | noise |\n"
          "| --- | --- | ---: | ---: | ---: | ---: |\n";
      header = true;
    }
    text += std::string("| ") + name(c.verdict) + " | " + tableCell(c.key) + " (" + c.unit +
            ") | " + number(c.baseline) + " | " + number(c.current) + " | " + percent(c.change) +
            " | " + percent(c.noise, false) + " |\n";
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
    if (c.verdict == Verdict::kRegressed) {
      cases += ">\n      <failure message=\"" +
               xmlEscape(c.unit + " " + number(c.current) + " vs baseline " + number(c.baseline) +
                         " (" + percent(c.change) + ", tolerance " + percent(r.tolerance, false) +
                         ", noise " + percent(c.noise, false) + ")") +
               "\" type=\"regression\"/>\n    </testcase>\n";
    } else if (c.verdict == Verdict::kMissing) {
      cases += ">\n      <skipped message=\"not in the current run\"/>\n    </testcase>\n";
    } else {
      cases += "/>\n";
    }
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"" +
         xmlEscape("topoplan compare " + r.baselineSource + " -> " + r.currentSource) +
         "\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(r.count(Verdict::kRegressed)) + "\" skipped=\"" +
         std::to_string(r.count(Verdict::kMissing)) + "\">\n" + cases +
         "  </testsuite>\n</testsuites>\n";
}

nlohmann::ordered_json compareDocument(const CompareResult& r,
                                       const std::vector<std::string>& argv) {
  nlohmann::ordered_json doc = makeDocumentHeader("compare", 1, argv, {});
  doc["baseline"] = r.baselineSource;
  doc["current"] = r.currentSource;
  doc["tolerance"] = r.tolerance;
  doc["rule"] =
      "regressed when the drop exceeds both the tolerance and the noise "
      "(the larger (p90 - p10) / median of the two runs)";
  nlohmann::ordered_json counts;
  for (Verdict v : {Verdict::kRegressed, Verdict::kImproved, Verdict::kUnchanged, Verdict::kMissing,
                    Verdict::kNew})
    counts[name(v)] = r.count(v);
  doc["counts"] = counts;
  doc["items"] = nlohmann::ordered_json::array();
  auto orNull = [](double v) {
    return std::isnan(v) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v);
  };
  for (const Comparison& c : r.items) {
    doc["items"].push_back({{"metric", c.key},
                            {"unit", c.unit},
                            {"verdict", name(c.verdict)},
                            {"baseline", orNull(c.baseline)},
                            {"current", orNull(c.current)},
                            {"change", orNull(c.change)},
                            {"noise", orNull(c.noise)}});
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
