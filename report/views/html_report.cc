#include "report/views/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/units.h"
#include "placement/hostlist.h"
#include "report/views/line_chart.h"

namespace topoplan {
namespace {

std::string label(const Metric& m, const char* key) {
  for (const auto& [k, v] : m.labels) {
    if (k == key) return v;
  }
  return "";
}

std::string section(const std::string& id, const std::string& title, const std::string& body) {
  return "<section id=\"" + id + "\"><h2>" + xmlEscape(title) + "</h2>\n" + body + "</section>\n";
}

// Bus bandwidth against size: one polyline per series.
std::string busbwChart(const std::vector<MetricSet>& sets) {
  std::map<std::string, std::vector<std::pair<double, double>>> points;
  for (const MetricSet& set : sets) {
    for (const Metric& m : set.metrics) {
      const std::string name = label(m, "collective") + " " + label(m, "algo") + " " +
                               label(m, "dtype") + " " + label(m, "op") + " " +
                               (label(m, "in_place") == "true" ? "in-place" : "out-of-place") +
                               (sets.size() > 1 ? " (" + set.source + ")" : "");
      points[name].emplace_back(std::stod(label(m, "bytes")), m.value);
    }
  }
  std::vector<ChartSeries> series;
  for (auto& [name, p] : points) {
    std::sort(p.begin(), p.end());
    series.push_back({name, std::move(p)});
  }
  ChartAxes axes{"busbw-plot", "message size (bytes, log scale)", "busbw (GB/s)", true,
                 [](double x) { return formatSize(static_cast<std::uint64_t>(x)); }};
  return lineChart(axes, series);
}

std::string heatmap(const MetricSet& links, const Topology& topology) {
  // Hosts in domain order, so that islands are blocks on the diagonal.
  std::vector<int> order(topology.hosts().size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  auto pathOf = [&](int h) {
    std::string path;
    for (int d : topology.hosts()[static_cast<std::size_t>(h)].domains)
      path += topology.domains()[static_cast<std::size_t>(d)].name + "\n";
    return path;
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return pathOf(a) < pathOf(b); });
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < order.size(); ++i)
    position[topology.hosts()[static_cast<std::size_t>(order[i])].name] = i;
  const std::size_t n = order.size();
  std::vector<double> gbps(n * n, -1);
  double maxGbps = 0;
  for (const Metric& m : links.metrics) {
    auto a = position.find(label(m, "host_a"));
    auto b = position.find(label(m, "host_b"));
    if (a == position.end() || b == position.end() || a->second == b->second) continue;
    for (auto [i, j] : {std::pair{a->second, b->second}, std::pair{b->second, a->second}})
      gbps[i * n + j] = std::max(gbps[i * n + j], m.value);
    maxGbps = std::max(maxGbps, m.value);
  }
  if (n == 0 || maxGbps <= 0) return "<p>no links between hosts</p>\n";
  const double cell = std::clamp(560.0 / static_cast<double>(n), 4.0, 40.0), margin = 90, top = 4;
  const double side = cell * static_cast<double>(n) + 10;
  std::string svg =
      "<svg class=\"plot\" id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
      formatted("%.0f", margin + side) + "\" height=\"" + formatted("%.0f", top + side) + "\">\n";
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& name = topology.hosts()[static_cast<std::size_t>(order[i])].name;
    if (cell >= 10) {
      svg += "<text x=\"" + formatted("%.0f", margin - 4) + "\" y=\"" +
             formatted("%.1f", top + cell * (static_cast<double>(i) + 0.7)) +
             "\" text-anchor=\"end\" font-size=\"11\">" + xmlEscape(name) + "</text>\n";
    }
    for (std::size_t j = 0; j < n; ++j) {
      const double v = gbps[i * n + j];
      // Light to dark blue with the bandwidth (log scale over three decades); grey: not measured.
      std::string fill = "#eeeeee";
      if (v > 0) {
        const double t = std::clamp(1 + std::log10(v / maxGbps) / 3, 0.0, 1.0);
        fill = "rgb(" + formatted("%.0f", 240 - 210 * t) + "," + formatted("%.0f", 245 - 160 * t) +
               "," + formatted("%.0f", 255 - 100 * t) + ")";
      }
      const std::string& other = topology.hosts()[static_cast<std::size_t>(order[j])].name;
      svg += "<rect class=\"cell\" x=\"" +
             formatted("%.1f", margin + cell * static_cast<double>(j)) + "\" y=\"" +
             formatted("%.1f", top + cell * static_cast<double>(i)) + "\" width=\"" +
             formatted("%.1f", cell) + "\" height=\"" + formatted("%.1f", cell) + "\" fill=\"" +
             fill + "\"><title>" +
             xmlEscape(name + " <-> " + other + ": " +
                       (v > 0 ? formatted("%.4g", v) + " GB/s" : "not measured")) +
             "</title></rect>\n";
    }
  }
  // Islands: the top-level domains, as blocks on the diagonal.
  if (topology.levelCount() > 0) {
    for (int d : topology.domainsAt(0)) {
      std::size_t first = n, last = 0;
      for (int h : topology.domains()[static_cast<std::size_t>(d)].hosts) {
        const std::size_t p = position[topology.hosts()[static_cast<std::size_t>(h)].name];
        first = std::min(first, p);
        last = std::max(last, p);
      }
      svg += "<rect class=\"island\" data-island=\"" +
             xmlEscape(topology.domains()[static_cast<std::size_t>(d)].name) + "\" x=\"" +
             formatted("%.1f", margin + cell * static_cast<double>(first)) + "\" y=\"" +
             formatted("%.1f", top + cell * static_cast<double>(first)) + "\" width=\"" +
             formatted("%.1f", cell * static_cast<double>(last - first + 1)) + "\" height=\"" +
             formatted("%.1f", cell * static_cast<double>(last - first + 1)) +
             "\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n";
    }
  }
  return svg + "</svg>\n<p class=\"note\">Darker is faster (log scale, three decades below the " +
         "fastest pair, " + formatted("%.4g", maxGbps) +
         " GB/s); red squares are the inferred islands.</p>\n";
}

std::string treeList(const Topology& topology, const std::vector<int>& domains) {
  std::string html = "<ul>\n";
  for (int d : domains) {
    const Domain& domain = topology.domains()[static_cast<std::size_t>(d)];
    html += "<li><b>" + xmlEscape(topology.levelNames()[static_cast<std::size_t>(domain.level)]) +
            " " + xmlEscape(domain.label) + "</b>: " + std::to_string(domain.hosts.size()) +
            " hosts";
    if (domain.children.empty()) {
      html += " <code>" + xmlEscape(compressHostlist(topology.hostNames(domain.hosts))) + "</code>";
    } else {
      html += treeList(topology, domain.children);
    }
    html += "</li>\n";
  }
  return html + "</ul>\n";
}

}  // namespace

void HtmlReport::addBusbw(const MetricSet& metrics) {
  busbw_.push_back(metrics);
}

void HtmlReport::addCluster(const MetricSet& links, const Topology& topology,
                            const TopologyFindings& findings) {
  sections_ += section("heatmap", "Pairwise bandwidth: " + links.source, heatmap(links, topology));
  addTopology(links.source, topology, findings);
}

void HtmlReport::addTopology(const std::string& source, const Topology& topology,
                             const TopologyFindings& findings) {
  std::string body = "<p>" + std::to_string(topology.hosts().size()) + " hosts, " +
                     std::to_string(topology.levelCount()) + " level(s), " +
                     xmlEscape(findings.origin) + "</p>\n";
  body += treeList(topology, topology.topDomains());
  if (!findings.degradedHosts.empty() || !findings.degradedLinks.empty()) {
    body += "<h3>Degraded</h3><ul class=\"degraded\">\n";
    for (const auto* list : {&findings.degradedHosts, &findings.degradedLinks}) {
      for (const Finding& f : *list)
        body += "<li><b>" + xmlEscape(f.subject) + "</b>: " + xmlEscape(f.evidence) + "</li>\n";
    }
    body += "</ul>\n";
  }
  sections_ += section("topology", "Topology: " + source, body);
}

void HtmlReport::addPlan(const std::string& source, const PlanRecord& plan) {
  std::vector<std::pair<std::string, double>> bars;
  std::string gangHosts = plan.gang ? compressHostlist(plan.gang->hosts) : "none: " + plan.whyNone;
  if (plan.gang) bars.emplace_back("topoplan", plan.gang->predictedBusbwGbps);
  for (const PlannedPlacement& b : plan.baselines) bars.emplace_back(b.name, b.predictedBusbwGbps);
  double maxValue = 0;
  for (const auto& [name, value] : bars) maxValue = std::max(maxValue, value);
  std::string svg =
      "<svg class=\"plot\" id=\"plan-plot\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"640\" height=\"" +
      std::to_string(30 * bars.size() + 20) + "\">\n";
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const double width = maxValue > 0 ? bars[i].second / maxValue * 420 : 0;
    const double y = 10 + 30 * static_cast<double>(i);
    svg += "<text x=\"90\" y=\"" + formatted("%.0f", y + 16) + "\" text-anchor=\"end\">" +
           xmlEscape(bars[i].first) + "</text><rect class=\"bar\" data-strategy=\"" +
           xmlEscape(bars[i].first) + "\" x=\"100\" y=\"" + formatted("%.0f", y) + "\" width=\"" +
           formatted("%.1f", width) + "\" height=\"22\" fill=\"" + (i == 0 ? "#2ca02c" : "#999") +
           "\"/><text x=\"" + formatted("%.1f", 106 + width) + "\" y=\"" +
           formatted("%.0f", y + 16) + "\">" + formatted("%.4g", bars[i].second) + " GB/s</text>\n";
  }
  svg += "</svg>\n";
  sections_ += section("plan", "Recommended gang: " + source,
                       "<p>hosts <code>" + xmlEscape(gangHosts) +
                           "</code>; predicted busbw against the baselines:</p>\n" + svg);
}

void HtmlReport::addVerify(const std::string& source, const VerifyRun& run) {
  double maxValue = 0;
  for (const VerifiedCandidate& c : run.candidates)
    maxValue = std::max({maxValue, c.predictedBusbwGbps, c.busbwGbps});
  const double rowHeight = 44;
  std::string svg =
      "<svg class=\"plot\" id=\"verify-plot\" xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"680\" height=\"" +
      formatted("%.0f", rowHeight * static_cast<double>(run.candidates.size()) + 30) + "\">\n";
  svg +=
      "<rect x=\"420\" y=\"4\" width=\"10\" height=\"10\" fill=\"#9ecae1\"/><text x=\"434\" "
      "y=\"13\">predicted</text><rect x=\"510\" y=\"4\" width=\"10\" height=\"10\" "
      "fill=\"#2ca02c\"/><text x=\"524\" y=\"13\">measured</text>\n";
  for (std::size_t i = 0; i < run.candidates.size(); ++i) {
    const VerifiedCandidate& c = run.candidates[i];
    const double y = 22 + rowHeight * static_cast<double>(i);
    auto width = [&](double value) { return maxValue > 0 ? value / maxValue * 380 : 0; };
    svg += "<text x=\"110\" y=\"" + formatted("%.0f", y + 22) + "\" text-anchor=\"end\">" +
           xmlEscape(c.name) + "</text>";
    svg += "<rect class=\"predicted\" data-candidate=\"" + xmlEscape(c.name) + "\" x=\"120\" y=\"" +
           formatted("%.0f", y) + "\" width=\"" + formatted("%.1f", width(c.predictedBusbwGbps)) +
           "\" height=\"16\" fill=\"#9ecae1\"/>";
    svg += "<text x=\"" + formatted("%.1f", 126 + width(c.predictedBusbwGbps)) + "\" y=\"" +
           formatted("%.0f", y + 12) + "\">" + formatted("%.4g", c.predictedBusbwGbps) +
           " GB/s</text>";
    if (c.busbwGbps > 0) {
      svg += "<rect class=\"measured\" data-candidate=\"" + xmlEscape(c.name) +
             "\" x=\"120\" y=\"" + formatted("%.0f", y + 18) + "\" width=\"" +
             formatted("%.1f", width(c.busbwGbps)) + "\" height=\"16\" fill=\"#2ca02c\"/>";
      svg += "<text class=\"error\" x=\"" + formatted("%.1f", 126 + width(c.busbwGbps)) +
             "\" y=\"" + formatted("%.0f", y + 30) + "\">" + formatted("%.4g", c.busbwGbps) +
             " GB/s, error " + formatted("%+.1f%%", c.errorPct()) + "</text>";
    } else {
      svg += "<text x=\"126\" y=\"" + formatted("%.0f", y + 30) + "\">not measured</text>";
    }
    svg += "\n";
  }
  svg += "</svg>\n";
  sections_ += section("verify", "Predicted against measured: " + source,
                       "<p>" + xmlEscape(run.pattern) + " of " + xmlEscape(formatSize(run.bytes)) +
                           " per candidate; busbw as nccl-tests defines it</p>\n" + svg);
}

void HtmlReport::addComparison(const CompareResult& r) {
  std::string body = "<p>" + xmlEscape(r.baselineSource) + " &rarr; " + xmlEscape(r.currentSource) +
                     ": " + std::to_string(r.count(Verdict::kRegressed)) + " regressed, " +
                     std::to_string(r.count(Verdict::kImproved)) + " improved, " +
                     std::to_string(r.count(Verdict::kInconclusive)) + " inconclusive, " +
                     std::to_string(r.count(Verdict::kUnchanged)) + " unchanged</p>\n<p>" +
                     xmlEscape(compareRule(r.settings, r.mode)) + "</p>\n";
  if (!r.note.empty()) body += "<p>" + xmlEscape(r.note) + "</p>\n";
  body +=
      "<table class=\"compare\"><tr><th>verdict</th><th>metric</th><th>baseline</th>"
      "<th>current</th><th>change</th><th>noise</th><th>p (adjusted)</th></tr>\n";
  for (const Comparison& c : r.items) {
    if (c.verdict == Verdict::kUnchanged) continue;
    body += std::string("<tr class=\"") + name(c.verdict) + "\"><td>" + name(c.verdict) +
            "</td><td>" + xmlEscape(c.key) + "</td><td>" + formatted("%.4g", c.baseline) +
            "</td><td>" + formatted("%.4g", c.current) + "</td><td>" +
            formatted("%+.1f%%", c.change * 100) + "</td><td>" +
            formatted("%.1f%%", c.noise * 100) + "</td><td>" +
            (std::isnan(c.pAdjusted) ? std::string("no samples") : formatted("%.2g", c.pAdjusted)) +
            "</td></tr>\n";
  }
  sections_ += section("compare", "Regressions", body + "</table>\n");
}

void HtmlReport::addInventory(const std::string& source,
                              const std::vector<std::pair<std::string, InventoryRecord>>& hosts) {
  if (hosts.empty()) return;  // a probe run without inventories (e.g. an older document)
  std::string body =
      "<table class=\"inventory\"><tr><th>host</th><th>packages</th><th>NUMA</th>"
      "<th>cores</th><th>GPUs</th><th>NICs</th></tr>\n";
  for (const auto& [name, inv] : hosts) {
    const std::string& shown = !name.empty()           ? name
                               : !inv.hostname.empty() ? inv.hostname
                                                       : inv.source;
    body += "<tr><td>" + xmlEscape(shown) + "</td><td>" + std::to_string(inv.packages) +
            "</td><td>" + std::to_string(inv.numaNodes) + "</td><td>" + std::to_string(inv.cores) +
            "</td><td>" + std::to_string(inv.gpus.size()) + "</td><td>" +
            std::to_string(inv.nics.size()) + "</td></tr>\n";
  }
  sections_ += section("inventory", "Inventory: " + source, body + "</table>\n");
}

void HtmlReport::addGpuCopies(const std::string& source, const std::vector<GpuCopyRecord>& copies) {
  if (copies.empty()) return;
  auto device = [](int index) {
    return index < 0 ? std::string("host") : "cuda" + std::to_string(index);
  };
  std::string body =
      "<table class=\"gpu-copies\"><tr><th>host</th><th>copy</th><th>from</th><th>to</th>"
      "<th>path</th><th>GB/s (median)</th><th>expected peak</th><th>% of peak</th></tr>\n";
  for (const GpuCopyRecord& copy : copies) {
    const bool peak = copy.expectedPeakGbps > 0;
    body += "<tr class=\"gpu-copy\"><td>" + xmlEscape(copy.host) + "</td><td>" +
            xmlEscape(copy.kind) + "</td><td>" + device(copy.src) + "</td><td>" + device(copy.dst) +
            "</td><td>" + xmlEscape(copy.path) + "</td><td>" +
            formatted("%.1f", copy.bwGbps.median) + "</td><td title=\"" +
            xmlEscape(copy.peakBasis) + "\">" +
            (peak ? formatted("%.1f", copy.expectedPeakGbps) : "-") + "</td><td>" +
            (peak ? formatted("%.1f", copy.peakPercent()) : "-") + "</td></tr>\n";
  }
  sections_ += section("gpu-copies", "GPU copies: " + source, body + "</table>\n");
}

namespace {

// Per team and policy: jobs, mean and p99 queueing (hours), GPU-hours; "" when no team.
std::string teamsTable(const std::string& id, const ReplayReport& replay) {
  std::string rows;
  for (const ReplaySummary& p : replay.policies) {
    for (const TeamFigures& t : p.teams) {
      rows += "<tr><td>" + xmlEscape(p.policy) + "</td><td>" +
              xmlEscape(t.team.empty() ? "(none)" : t.team) + "</td><td>" + std::to_string(t.jobs) +
              "</td><td>" + formatted("%.2f", t.queueMeanS / 3600) + "</td><td>" +
              formatted("%.2f", t.queueP99S / 3600) + "</td><td>" + formatted("%.0f", t.gpuH) +
              "</td></tr>\n";
    }
  }
  if (rows.empty()) return "";
  return "<h3>Teams</h3>\n<table id=\"" + id +
         "-teams\">\n<tr><th>policy</th><th>team</th><th>jobs</th><th>queue mean "
         "(h)</th><th>p99</th><th>GPU-hours</th></tr>\n" +
         rows + "</table>\n";
}

}  // namespace

void HtmlReport::addReplay(const std::string& source, const ReplayReport& replay) {
  const std::string id = "replay-" + std::to_string(++replays_);
  auto hours = [](double seconds) { return formatted("%.2f", seconds / 3600); };
  auto percent = [](double share) { return formatted("%.1f%%", 100 * share); };
  std::string body = "<p class=\"note\">" + xmlEscape(replay.trace) + " (" +
                     xmlEscape(replay.traceFormat) + ", " + std::to_string(replay.traceJobs) +
                     " jobs) on " + xmlEscape(replay.cluster) + ", " + queueText(replay.queue) +
                     ". Times in hours; fragmentation: free GPUs the first waiting gang cannot "
                     "use, as a share of all GPUs." +
                     (replay.failures.empty() ? std::string()
                                              : " Interruptions: " + xmlEscape(replay.failures) +
                                                    "; goodput: useful GPU-hours over allocated.") +
                     "</p>\n<table id=\"" + id +
                     "-table\">\n"
                     "<tr><th>policy</th><th>JCT mean</th><th>p50</th><th>p99</th><th>queue "
                     "mean</th><th>p99</th><th>makespan</th><th>utilization</th>"
                     "<th>fragmentation</th><th>leaves partly used</th><th>gangs in one "
                     "leaf</th><th>in one pod</th><th>busbw (GB/s)</th>" +
                     (replay.failures.empty() ? std::string()
                                              : "<th>restarts</th><th>preemptions</th><th>lost "
                                                "GPU-hours</th><th>goodput</th>") +
                     "</tr>\n";
  std::vector<ChartSeries> utilization, fragmentation, partial, cdf;
  for (const ReplaySummary& p : replay.policies) {
    body += "<tr class=\"policy\"><td>" + xmlEscape(p.policy) + "</td><td>" + hours(p.jctMeanS) +
            "</td><td>" + hours(p.jctP50S) + "</td><td>" + hours(p.jctP99S) + "</td><td>" +
            hours(p.queueMeanS) + "</td><td>" + hours(p.queueP99S) + "</td><td>" +
            hours(p.makespanS) + "</td><td>" + percent(p.utilizationMean) + "</td><td>" +
            percent(p.fragmentationMean) + "</td><td>" + percent(p.partialLeavesMean) +
            "</td><td>" + percent(p.inLeafShare) + "</td><td>" + percent(p.inPodShare) +
            "</td><td>" + formatted("%.2f", p.busbwMeanGbps) + "</td>" +
            (replay.failures.empty()
                 ? std::string()
                 : "<td>" + std::to_string(p.restarts) + "</td><td>" +
                       std::to_string(p.preemptions) + "</td><td>" + formatted("%.1f", p.lostGpuH) +
                       "</td><td>" + percent(p.goodput) + "</td>") +
            "</tr>\n";
    ChartSeries u{p.policy, {}}, f{p.policy, {}}, l{p.policy, {}}, c{p.policy, {}};
    for (const ReplaySample& sample : p.series) {
      const double t = sample.timeS / 3600;
      u.points.emplace_back(t, 100 * sample.utilization);
      f.points.emplace_back(t, 100 * sample.fragmentation);
      l.points.emplace_back(t, 100 * sample.partialLeaves);
    }
    for (std::size_t q = 0; q < p.jctCdfS.size(); ++q) {
      c.points.emplace_back(
          p.jctCdfS[q] / 3600,
          p.jctCdfS.size() > 1 ? static_cast<double>(q) / (p.jctCdfS.size() - 1) : 1.0);
    }
    utilization.push_back(std::move(u));
    fragmentation.push_back(std::move(f));
    partial.push_back(std::move(l));
    cdf.push_back(std::move(c));
  }
  body += "</table>\n" + teamsTable(id, replay);
  body +=
      "<h3>GPU utilization</h3>\n" +
      lineChart({id + "-utilization", "time (hours)", "GPUs busy (%)", false, {}, 100},
                utilization) +
      "<h3>Fragmentation</h3>\n" +
      lineChart({id + "-fragmentation",
                 "time (hours)",
                 "free GPUs the first waiting gang cannot use (%)",
                 false,
                 {},
                 0},
                fragmentation) +
      lineChart(
          {id + "-partial-leaves", "time (hours)", "leaf domains partly used (%)", false, {}, 100},
          partial) +
      "<h3>Job completion time</h3>\n" +
      lineChart({id + "-jct-cdf", "job completion time (hours, log scale)", "share of jobs", true,
                 [](double x) { return formatted("%.3g", x); }, 1},
                cdf);
  sections_ += section(id, "Replay: " + source, body);
}

std::string HtmlReport::html(const std::string& title) const {
  std::string body;
  if (!busbw_.empty()) body += section("busbw", "Bus bandwidth against size", busbwChart(busbw_));
  body += sections_;
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
         xmlEscape(title) +
         "</title>\n<style>\n"
         "body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}\n"
         "svg text{font-size:12px;fill:#333}\nsection{margin-bottom:32px}\n"
         ".legend{list-style:none;padding:0;columns:2}\n"
         ".legend span{display:inline-block;width:14px;height:4px;margin-right:6px;"
         "vertical-align:middle}\n"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
         "font-size:13px}\n"
         "tr.regressed{background:#fdd}tr.improved{background:#dfd}\n.note{color:#666}\n"
         "</style></head><body>\n<h1>" +
         xmlEscape(title) + "</h1>\n" + body + "</body></html>\n";
}

}  // namespace topoplan
