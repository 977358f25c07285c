#include "report/documents/verify_document.h"

#include <cmath>
#include <cstdio>

#include "core/document.h"
#include "core/json_fields.h"
#include "core/units.h"
#include "placement/hostlist.h"

namespace topoplan {
const VerifiedCandidate* VerifyRun::measuredAs(const VerifiedCandidate& c) const {
  if (c.sameAs.empty()) return c.ranks > 0 ? &c : nullptr;
  for (const VerifiedCandidate& other : candidates) {
    if (other.name == c.sameAs) return other.ranks > 0 ? &other : nullptr;
  }
  return nullptr;
}

double VerifiedCandidate::errorPct() const {
  return busbwGbps > 0 ? (predictedBusbwGbps - busbwGbps) / busbwGbps * 100 : 0;
}

nlohmann::ordered_json verifyDocument(const VerifyRun& run, const VerifyVerdict& verdict) {
  std::vector<std::string> hosts;
  for (const VerifiedCandidate& c : run.candidates) {
    for (const std::string& host : c.hosts) {
      if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
    }
  }
  nlohmann::ordered_json doc = makeDocumentHeader("verify", 1, run.argv, hosts);
  doc["plan"] = run.plan;
  doc["cluster"] = run.cluster;
  doc["collective"] = {
      {"pattern", run.pattern},          {"algo", run.algo},   {"bytes", run.bytes},
      {"warmup_iters", run.warmup},      {"iters", run.iters}, {"hosts", run.hostsAsked},
      {"gpus_per_host", run.gpusPerHost}};
  doc["alpha"] = run.alpha;
  doc["tolerance_pct"] = run.tolerancePct ? nlohmann::ordered_json(*run.tolerancePct)
                                          : nlohmann::ordered_json(nullptr);
  doc["candidates"] = nlohmann::ordered_json::array();
  for (const VerifiedCandidate& c : run.candidates) {
    const VerifiedCandidate* m = run.measuredAs(c);
    nlohmann::ordered_json item = {
        {"name", c.name},
        {"hosts", c.hosts},
        {"domain", c.domain},
        {"predicted", {{"time_us", c.predictedTimeUs}, {"busbw_gbps", c.predictedBusbwGbps}}}};
    if (!c.sameAs.empty()) item["same_as"] = c.sameAs;
    if (m) {
      item["measured"] = {{"time_us",
                           {{"median", significant(m->timeUs.median)},
                            {"p10", significant(m->timeUs.p10)},
                            {"p90", significant(m->timeUs.p90)}}},
                          {"busbw_gbps", significant(m->busbwGbps)},
                          {"ranks", m->ranks},
                          {"samples", m->timeUs.samples}};
      std::vector<double> samples;
      for (double s : m->samplesUs) samples.push_back(significant(s));
      item["measured"]["samples_us"] = samples;
      VerifiedCandidate copy = c;
      copy.busbwGbps = m->busbwGbps;
      item["error_pct"] = significant(copy.errorPct(), 4);
    } else {
      item["measured"] = nullptr;
      item["error_pct"] = nullptr;
    }
    if (!c.note.empty()) item["note"] = c.note;
    doc["candidates"].push_back(std::move(item));
  }
  doc["gang_speedup"] = nlohmann::ordered_json::array();
  for (const GangComparison& c : verdict.comparisons) {
    doc["gang_speedup"].push_back({{"over", c.other},
                                   {"speedup", significant(c.speedup, 4)},
                                   {"p_holm", significant(c.p, 4)},
                                   {"gang_slower", c.gangSlower}});
  }
  doc["passed"] = verdict.failures.empty();
  doc["failures"] = verdict.failures;
  addCompleteness(doc, run.interruption, run.rankHosts);
  return doc;
}

std::string verifyText(const VerifyRun& run, const VerifyVerdict& verdict) {
  char line[320];
  std::snprintf(line, sizeof line,
                "# verify %s: %s of %s (%s), %d warm-up + %d timed iterations per candidate\n",
                run.plan.c_str(), run.pattern.c_str(), formatSize(run.bytes).c_str(),
                run.algo.c_str(), run.warmup, run.iters);
  std::string text = line;
  std::snprintf(line, sizeof line, "# %-14s %5s %13s %13s %11s %11s %8s  %s\n", "candidate",
                "ranks", "predicted us", "measured us", "pred GB/s", "meas GB/s", "error", "hosts");
  text += line;
  for (const VerifiedCandidate& c : run.candidates) {
    const VerifiedCandidate* m = run.measuredAs(c);
    std::string hosts = compressHostlist(c.hosts);
    if (hosts.size() > 48) hosts = hosts.substr(0, 48) + "...";
    if (!m) {
      std::snprintf(line, sizeof line, "  %-14s %5s %13.1f %13s %11.4g %11s %8s  %s\n",
                    c.name.c_str(), "-", c.predictedTimeUs, "-", c.predictedBusbwGbps, "-", "-",
                    hosts.c_str());
    } else {
      VerifiedCandidate copy = c;
      copy.busbwGbps = m->busbwGbps;
      std::snprintf(line, sizeof line, "  %-14s %5d %13.1f %13.1f %11.4g %11.4g %+7.1f%%  %s%s\n",
                    c.name.c_str(), m->ranks, c.predictedTimeUs, m->timeUs.median,
                    c.predictedBusbwGbps, m->busbwGbps, copy.errorPct(), hosts.c_str(),
                    c.sameAs.empty() ? "" : ("  (= " + c.sameAs + ")").c_str());
    }
    text += line;
    if (!c.note.empty()) text += "    " + c.note + "\n";
  }
  for (const GangComparison& c : verdict.comparisons) {
    std::snprintf(line, sizeof line, "# gang against %-12s %.2fx %s (p = %.3g)\n", c.other.c_str(),
                  c.speedup, c.speedup >= 1 ? "faster" : "slower", c.p);
    text += line;
  }
  text += verdict.failures.empty() ? "# PASSED: no candidate measures faster than the gang\n" : "";
  for (const std::string& failure : verdict.failures) text += "# FAILED: " + failure + "\n";
  return text;
}

Result<VerifyRun> readVerifyDocument(const nlohmann::ordered_json& document,
                                     const std::string& source) {
  if (!document.is_object()) return Error(source + ": expected an object with \"schema\"");
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != schemaName("verify", 1))
    return Error(source + ".schema: '" + schema + "', expected '" + schemaName("verify", 1) + "'");
  VerifyRun run;
  if (document.contains("plan")) TOPOPLAN_TRY(readField(document, source, "plan", run.plan));
  if (document.contains("cluster"))
    TOPOPLAN_TRY(readField(document, source, "cluster", run.cluster));
  auto collective = objectField(document, source, "collective");
  if (!collective) return collective.error();
  TOPOPLAN_TRY(readField(**collective, source + ".collective", "pattern", run.pattern));
  TOPOPLAN_TRY(readField(**collective, source + ".collective", "bytes", run.bytes));
  auto candidates = arrayField(document, source, "candidates");
  if (!candidates) return candidates.error();
  for (std::size_t i = 0; i < (*candidates)->size(); ++i) {
    const auto& item = (**candidates)[i];
    const std::string at = source + ".candidates[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error(at + ": expected an object");
    VerifiedCandidate c;
    TOPOPLAN_TRY(readField(item, at, "name", c.name));
    auto hosts = arrayField(item, at, "hosts");
    if (!hosts) return hosts.error();
    for (const auto& host : **hosts) {
      if (!host.is_string()) return Error(at + ".hosts: " + host.dump() + ", expected host names");
      c.hosts.push_back(host.get<std::string>());
    }
    auto predicted = objectField(item, at, "predicted");
    if (!predicted) return predicted.error();
    TOPOPLAN_TRY(readField(**predicted, at + ".predicted", "time_us", c.predictedTimeUs));
    TOPOPLAN_TRY(readField(**predicted, at + ".predicted", "busbw_gbps", c.predictedBusbwGbps));
    if (item.contains("measured") && !item["measured"].is_null()) {
      auto measured = objectField(item, at, "measured");
      if (!measured) return measured.error();
      TOPOPLAN_TRY(readField(**measured, at + ".measured", "busbw_gbps", c.busbwGbps));
      auto time = objectField(**measured, at + ".measured", "time_us");
      if (!time) return time.error();
      TOPOPLAN_TRY(readField(**time, at + ".measured.time_us", "median", c.timeUs.median));
      c.ranks = 1;
    }
    run.candidates.push_back(std::move(c));
  }
  return run;
}

}  // namespace topoplan
