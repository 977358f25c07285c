#include "report/plan_document.h"

#include <cstdio>

#include "core/atomic_file.h"
#include "core/document.h"
#include "core/json_fields.h"
#include "placement/hostlist.h"

namespace topoplan {
namespace {

// A hostlist for people: compressed, and cut short with the count when long.
std::string shortHostlist(const Topology& topology, const std::vector<int>& hosts,
                          std::size_t width) {
  std::string list = compressHostlist(topology.hostNames(hosts));
  if (list.size() <= width) return list;
  return list.substr(0, width) + "... (" + std::to_string(hosts.size()) + " hosts)";
}

std::string domainName(const Topology& topology, int domain) {
  return domain < 0 ? "(whole cluster)" : topology.domains()[static_cast<std::size_t>(domain)].name;
}

std::string levelName(const Topology& topology, int domain) {
  return domain < 0 ? "cluster"
                    : topology.levelNames()[static_cast<std::size_t>(
                          topology.domains()[static_cast<std::size_t>(domain)].level)];
}

nlohmann::ordered_json placementJson(const Topology& topology, const Placement& p) {
  return {{"strategy", p.strategy},
          {"hosts", topology.hostNames(p.hosts)},
          {"hostlist", compressHostlist(topology.hostNames(p.hosts))},
          {"domain", domainName(topology, p.domain)},
          {"level", levelName(topology, p.domain)},
          {"bottleneck", {{"what", p.predicted.bottleneck}, {"gbps", p.predicted.bottleneckGbps}}},
          {"predicted", {{"time_us", p.predicted.timeUs}, {"busbw_gbps", p.predicted.busbwGbps}}},
          {"leaves_free",
           {{"usable_hosts_in_domain", p.usableLeftInDomain},
            {"free_gpus_in_domain", p.freeGpusLeftInDomain}}}};
}

std::string line(const Topology& topology, const Placement& p, double reference) {
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%-9s %10.1f us  busbw %8.3f GB/s", p.strategy.c_str(),
                p.predicted.timeUs, p.predicted.busbwGbps);
  std::string text = buffer;
  if (reference > 0 && p.predicted.busbwGbps > 0) {
    std::snprintf(buffer, sizeof buffer, "  (ours %.2fx)", reference / p.predicted.busbwGbps);
    text += buffer;
  }
  return text + "  " + levelName(topology, p.domain) + " " + domainName(topology, p.domain) + "  " +
         shortHostlist(topology, p.hosts, 60) + "\n";
}

}  // namespace

nlohmann::ordered_json planDocument(const PlanInput& input, const PlanResult& result,
                                    const std::string& cluster,
                                    const std::vector<std::string>& argv) {
  const Topology& topology = *input.topology;
  const GangRequest& r = input.request;
  nlohmann::ordered_json doc = makeDocumentHeader(
      "plan", 1, argv,
      result.gang ? topology.hostNames(result.gang->hosts) : std::vector<std::string>{});
  doc["cluster"] = cluster;
  doc["request"] = {
      {"hosts", r.hosts},
      {"gpus_per_host", r.gpusPerHost},
      {"whole_hosts", r.gpusPerHost == 0},
      {"pattern", name(r.pattern)},
      {"bytes", r.bytes},
      {"require_level", r.requireLevel < 0
                            ? nlohmann::ordered_json(nullptr)
                            : nlohmann::ordered_json(
                                  topology.levelNames()[static_cast<std::size_t>(r.requireLevel)])},
      {"prefer_level", r.preferLevel < 0
                           ? nlohmann::ordered_json(nullptr)
                           : nlohmann::ordered_json(
                                 topology.levelNames()[static_cast<std::size_t>(r.preferLevel)])},
      {"avoid_degraded", r.avoidDegraded}};
  doc["levels"] = topology.levelNames();
  doc["eligible_hosts"] = result.eligibleHosts;
  doc["gang"] =
      result.gang ? placementJson(topology, *result.gang) : nlohmann::ordered_json(nullptr);
  if (!result.gang) doc["why_none"] = result.whyNone;
  doc["alternatives"] = nlohmann::ordered_json::array();
  for (const Placement& p : result.alternatives)
    doc["alternatives"].push_back(placementJson(topology, p));
  doc["baselines"] = nlohmann::ordered_json::array();
  for (const Placement& p : result.baselines) {
    auto item = placementJson(topology, p);
    item["name"] = p.strategy;
    doc["baselines"].push_back(item);
  }
  doc["planning_ms"] = result.planningMs;
  return doc;
}

std::string planText(const PlanInput& input, const PlanResult& result, const std::string& cluster) {
  const Topology& topology = *input.topology;
  const GangRequest& r = input.request;
  std::string text =
      "# gang of " + std::to_string(r.hosts) + " hosts" +
      (r.gpusPerHost > 0 ? " x " + std::to_string(r.gpusPerHost) + " GPUs" : " (whole hosts)") +
      ", " + std::string(name(r.pattern)) + " of " + std::to_string(r.bytes) + " bytes, on " +
      cluster + " (" + std::to_string(result.eligibleHosts) + " eligible hosts)\n";
  if (!result.gang) return text + "no gang: " + result.whyNone + "\n";
  const Placement& g = *result.gang;
  text +=
      "recommended: " + levelName(topology, g.domain) + " " + domainName(topology, g.domain) + "\n";
  text += "  hosts:      " + shortHostlist(topology, g.hosts, 160) + "\n";
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, "  predicted:  %.1f us, busbw %.3f GB/s\n",
                g.predicted.timeUs, g.predicted.busbwGbps);
  text += buffer;
  text += "  bottleneck: " + g.predicted.bottleneck + "\n";
  text += "  leaves free in the domain: " + std::to_string(g.usableLeftInDomain) +
          " usable hosts, " + std::to_string(g.freeGpusLeftInDomain) + " GPUs\n";
  if (!result.alternatives.empty()) text += "alternatives:\n";
  for (std::size_t i = 0; i < result.alternatives.size(); ++i) {
    Placement alternative = result.alternatives[i];
    alternative.strategy = "#" + std::to_string(i + 2);
    text += "  " + line(topology, alternative, 0);
  }
  text += "baselines (same cost model):\n";
  for (const Placement& p : result.baselines)
    text += "  " + line(topology, p, g.predicted.busbwGbps);
  std::snprintf(buffer, sizeof buffer, "planning: %.2f ms\n", result.planningMs);
  return text + buffer;
}

Result<PlannedGang> readPlannedGang(const std::string& path, const Topology& topology) {
  auto document = readJsonFile(path);
  if (!document) return document.error();
  std::string schema;
  TOPOPLAN_TRY(readField(*document, path, "schema", schema));
  if (schema != schemaName("plan", 1))
    return Error(path + ".schema: '" + schema + "', expected '" + schemaName("plan", 1) + "'");
  auto request = objectField(*document, path, "request");
  if (!request) return request.error();
  std::uint64_t gpus = 0;
  TOPOPLAN_TRY(readField(**request, path + ".request", "gpus_per_host", gpus));
  if (gpus > 1024)
    return Error(path + ".request.gpus_per_host: " + std::to_string(gpus) + ", expected 0 to 1024");
  const auto gang = document->find("gang");
  if (gang == document->end() || gang->is_null()) {
    std::string why;
    if (auto it = document->find("why_none"); it != document->end() && it->is_string())
      why = " (" + it->get<std::string>() + ")";
    return Error(path + ".gang: the plan has no gang" + why);
  }
  if (!gang->is_object()) return Error(path + ".gang: expected an object");
  auto hosts = arrayField(*gang, path + ".gang", "hosts");
  if (!hosts) return hosts.error();
  PlannedGang planned;
  planned.gpusPerHost = static_cast<int>(gpus);
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    const auto& item = (**hosts)[i];
    const std::string where = path + ".gang.hosts[" + std::to_string(i) + "]";
    if (!item.is_string()) return Error(where + ": expected a host name");
    const int index = topology.hostIndex(item.get<std::string>());
    if (index < 0)
      return Error(where + ": '" + item.get<std::string>() + "' is not a host of the cluster");
    planned.hosts.push_back(index);
  }
  if (planned.hosts.empty()) return Error(path + ".gang.hosts: expected at least one host");
  return planned;
}

}  // namespace topoplan
