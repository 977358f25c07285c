#include "report/documents/plan_document.h"

#include <algorithm>

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

// `width`: the name column's.
std::string line(const Topology& topology, const Placement& p, double reference, int width) {
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, "%-*.64s %10.1f us  busbw %8.3f GB/s", width,
                p.strategy.c_str(), p.predicted.timeUs, p.predicted.busbwGbps);
  std::string text = buffer;
  if (reference > 0 && p.predicted.busbwGbps > 0) {
    std::snprintf(buffer, sizeof buffer, "  (ours %.2fx)", reference / p.predicted.busbwGbps);
    text += buffer;
  }
  return text + "  " + levelName(topology, p.domain) + " " + domainName(topology, p.domain) + "  " +
         shortHostlist(topology, p.hosts, 60) + "\n";
}

nlohmann::ordered_json hostGpusJson(const HostGpus& h) {
  nlohmann::ordered_json gpus = nlohmann::ordered_json::array();
  for (const NodeGpu& gpu : h.gpus)
    gpus.push_back({{"index", gpu.index}, {"pci_bus_id", gpu.pciBusId}});
  nlohmann::ordered_json item = {
      {"host", h.host}, {"inventory", h.source}, {"host_gpus", h.hostGpus}, {"gpus", gpus}};
  if (!h.choice) {
    item["nics"] = nlohmann::ordered_json::array();
    item["cpuset"] = nullptr;
    item["note"] = h.note;
    return item;
  }
  const GpuChoice& c = *h.choice;
  item["nics"] = c.nics;
  item["nic_paths"] = c.nicPaths;
  item["cpuset"] =
      c.cpuset.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.cpuset);
  item["predicted"] = {
      {"ring_gbps", c.ringGbps}, {"slowest_pair_gbps", c.slowestPairGbps}, {"limit", c.limit}};
  item["sockets"] = c.sockets;
  item["pcie_switches"] = c.pcieSwitches;
  item["aligned"] = c.misaligned.empty();
  item["note"] = h.note.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(h.note);
  return item;
}

std::string hostGpusText(const HostGpus& h) {
  std::string text = "    " + h.host + ": ";
  if (!h.choice) return text + "no choice: " + h.note + "\n";
  const GpuChoice& c = *h.choice;
  std::string indices, buses, nics;
  for (const NodeGpu& gpu : h.gpus) {
    indices += (indices.empty() ? "" : ",") + std::to_string(gpu.index);
    buses += (buses.empty() ? "" : " ") + gpu.pciBusId;
  }
  for (const std::string& nic : c.nics) {
    const std::string shown = nic.empty() ? "-" : nic;
    if (nics.find(shown) == std::string::npos) nics += (nics.empty() ? "" : ",") + shown;
  }
  char figure[64];
  std::snprintf(figure, sizeof figure, "%.1f GB/s", c.ringGbps);
  text += "GPUs " + indices + " (" + buses + ")  NICs " + (nics.empty() ? "none" : nics) +
          "  cores " + (c.cpuset.empty() ? "unknown" : c.cpuset) + "\n";
  text += "      intra-host ring " + std::string(figure) + ", limited by " + c.limit + "\n";
  if (!h.note.empty()) text += "      " + h.note + "\n";
  return text;
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
  if (!result.gangGpus.empty()) {
    doc["gang"]["placement"] = nlohmann::ordered_json::array();
    for (const HostGpus& h : result.gangGpus) doc["gang"]["placement"].push_back(hostGpusJson(h));
  }
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
  if (!result.gangGpus.empty()) {
    text +=
        "  inside the hosts (GPUs by NVML index, the NIC nearest each, the cores of their NUMA "
        "nodes):\n";
    for (const HostGpus& h : result.gangGpus) text += hostGpusText(h);
  }
  if (!result.alternatives.empty()) text += "alternatives:\n";
  for (std::size_t i = 0; i < result.alternatives.size(); ++i) {
    Placement alternative = result.alternatives[i];
    alternative.strategy = "#" + std::to_string(i + 2);
    text += "  " + line(topology, alternative, 0, 9);
  }
  text += "baselines (same cost model):\n";
  int width = 9;
  for (const Placement& p : result.baselines)
    width = std::max(width, static_cast<int>(std::min<std::size_t>(p.strategy.size(), 64)));
  for (const Placement& p : result.baselines)
    text += "  " + line(topology, p, g.predicted.busbwGbps, width);
  std::snprintf(buffer, sizeof buffer, "planning: %.2f ms\n", result.planningMs);
  return text + buffer;
}

namespace {

Result<PlannedHostGpus> readHostPlacement(const nlohmann::ordered_json& item,
                                          const std::string& where) {
  if (!item.is_object()) return Error(where + ": expected an object");
  PlannedHostGpus host;
  TOPOPLAN_TRY(readField(item, where, "host", host.host));
  std::uint64_t hostGpus = 0;
  if (item.contains("host_gpus")) TOPOPLAN_TRY(readField(item, where, "host_gpus", hostGpus));
  if (hostGpus > 1024)
    return Error(where + ".host_gpus: " + std::to_string(hostGpus) + ", expected 0 to 1024");
  host.hostGpus = static_cast<int>(hostGpus);
  auto gpus = arrayField(item, where, "gpus");
  if (!gpus) return gpus.error();
  for (std::size_t i = 0; i < (*gpus)->size(); ++i) {
    const std::string at = where + ".gpus[" + std::to_string(i) + "]";
    const auto& gpu = (**gpus)[i];
    if (!gpu.is_object()) return Error(at + ": expected {\"index\", \"pci_bus_id\"}");
    std::uint64_t index = 0;
    TOPOPLAN_TRY(readField(gpu, at, "index", index));
    if (index > 1023)
      return Error(at + ".index: " + std::to_string(index) + ", expected 0 to 1023");
    std::string bus;
    TOPOPLAN_TRY(readField(gpu, at, "pci_bus_id", bus));
    host.gpus.push_back(static_cast<int>(index));
    host.pciBusIds.push_back(bus);
  }
  auto nics = arrayField(item, where, "nics");
  if (!nics) return nics.error();
  for (std::size_t i = 0; i < (*nics)->size(); ++i) {
    if (!(**nics)[i].is_string())
      return Error(where + ".nics[" + std::to_string(i) + "]: expected a NIC name");
    host.nics.push_back((**nics)[i].get<std::string>());
    if (host.nics.back().find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789_.:-") != std::string::npos)
      return Error(where + ".nics[" + std::to_string(i) + "]: '" + host.nics.back() +
                   "', expected a NIC name (mlx5_0) or PCI bus id");
  }
  if (const auto cpuset = item.find("cpuset"); cpuset != item.end() && !cpuset->is_null()) {
    TOPOPLAN_TRY(readField(item, where, "cpuset", host.cpuset));
    if (host.cpuset.find_first_not_of("0123456789,-") != std::string::npos)
      return Error(where + ".cpuset: '" + host.cpuset +
                   "', expected a CPU list such as 0-23,48-71");
  }
  return host;
}

Result<PlannedPlacement> readPlacement(const nlohmann::ordered_json& item, const std::string& where,
                                       const std::string& name) {
  if (!item.is_object()) return Error(where + ": expected an object");
  PlannedPlacement placement;
  placement.name = name;
  auto hosts = arrayField(item, where, "hosts");
  if (!hosts) return hosts.error();
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    const auto& host = (**hosts)[i];
    if (!host.is_string() || host.get<std::string>().empty())
      return Error(where + ".hosts[" + std::to_string(i) + "]: expected a host name");
    placement.hosts.push_back(host.get<std::string>());
  }
  if (placement.hosts.empty()) return Error(where + ".hosts: expected at least one host");
  if (item.contains("domain")) TOPOPLAN_TRY(readField(item, where, "domain", placement.domain));
  auto predicted = objectField(item, where, "predicted");
  if (!predicted) return predicted.error();
  TOPOPLAN_TRY(readField(**predicted, where + ".predicted", "time_us", placement.predictedTimeUs));
  TOPOPLAN_TRY(
      readField(**predicted, where + ".predicted", "busbw_gbps", placement.predictedBusbwGbps));
  if (item.contains("placement")) {
    auto hosts = arrayField(item, where, "placement");
    if (!hosts) return hosts.error();
    for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
      auto host = readHostPlacement((**hosts)[i], where + ".placement[" + std::to_string(i) + "]");
      if (!host) return host.error();
      placement.placement.push_back(std::move(*host));
    }
  }
  return placement;
}

}  // namespace

Result<PlanRecord> readPlanRecord(const nlohmann::ordered_json& document,
                                  const std::string& source) {
  if (!document.is_object()) return Error(source + ": expected an object with \"schema\"");
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != schemaName("plan", 1))
    return Error(source + ".schema: '" + schema + "', expected '" + schemaName("plan", 1) + "'");
  PlanRecord plan;
  if (document.contains("cluster"))
    TOPOPLAN_TRY(readField(document, source, "cluster", plan.cluster));
  auto request = objectField(document, source, "request");
  if (!request) return request.error();
  const std::string at = source + ".request";
  std::uint64_t hosts = 0, gpus = 0;
  TOPOPLAN_TRY(readField(**request, at, "hosts", hosts));
  TOPOPLAN_TRY(readField(**request, at, "gpus_per_host", gpus));
  if (hosts < 1 || hosts > 1'000'000)
    return Error(at + ".hosts: " + std::to_string(hosts) + ", expected 1 to 1000000");
  if (gpus > 1024)
    return Error(at + ".gpus_per_host: " + std::to_string(gpus) + ", expected 0 to 1024");
  plan.hosts = static_cast<int>(hosts);
  plan.gpusPerHost = static_cast<int>(gpus);
  if ((*request)->contains("pattern")) {
    TOPOPLAN_TRY(readField(**request, at, "pattern", plan.pattern));
    if (!parsePattern(plan.pattern))
      return Error(at + ".pattern: '" + plan.pattern + "', expected ring, tree or alltoall");
  } else {
    plan.pattern = "ring";
  }
  if ((*request)->contains("bytes")) TOPOPLAN_TRY(readField(**request, at, "bytes", plan.bytes));
  const auto gang = document.find("gang");
  if (gang == document.end() || gang->is_null()) {
    if (auto why = document.find("why_none"); why != document.end() && why->is_string())
      plan.whyNone = why->get<std::string>();
  } else {
    auto placement = readPlacement(*gang, source + ".gang", "gang");
    if (!placement) return placement.error();
    plan.gang = std::move(*placement);
  }
  for (const char* list : {"alternatives", "baselines"}) {
    if (!document.contains(list)) continue;
    auto items = arrayField(document, source, list);
    if (!items) return items.error();
    for (std::size_t i = 0; i < (*items)->size(); ++i) {
      const std::string where = source + "." + list + "[" + std::to_string(i) + "]";
      std::string name = "alternative-" + std::to_string(i + 1);
      if (std::string(list) == "baselines")
        TOPOPLAN_TRY(readField((**items)[i], where, "name", name));
      auto placement = readPlacement((**items)[i], where, name);
      if (!placement) return placement.error();
      (std::string(list) == "baselines" ? plan.baselines : plan.alternatives)
          .push_back(std::move(*placement));
    }
  }
  if (document.contains("calibration")) {
    auto calibration = objectField(document, source, "calibration");
    if (!calibration) return calibration.error();
    auto figures = arrayField(**calibration, source + ".calibration", "figures");
    if (!figures) return figures.error();
    for (const auto& figure : **figures) {
      if (figure.is_string()) plan.calibrated.push_back(figure.get<std::string>());
    }
  }
  return plan;
}

Result<PlanRecord> readPlanFile(const std::string& path) {
  auto document = readJsonFile(path);
  if (!document) return document.error();
  return readPlanRecord(*document, path);
}

Result<PlannedGang> readPlannedGang(const std::string& path, const Topology& topology) {
  auto plan = readPlanFile(path);
  if (!plan) return plan.error();
  if (!plan->gang) {
    return Error(path + ".gang: the plan has no gang" +
                 (plan->whyNone.empty() ? "" : " (" + plan->whyNone + ")"));
  }
  PlannedGang planned;
  planned.gpusPerHost = plan->gpusPerHost;
  planned.placement = plan->gang->placement;
  for (std::size_t i = 0; i < plan->gang->hosts.size(); ++i) {
    const std::string& host = plan->gang->hosts[i];
    const int index = topology.hostIndex(host);
    if (index < 0) {
      return Error(path + ".gang.hosts[" + std::to_string(i) + "]: '" + host +
                   "' is not a host of the cluster");
    }
    planned.hosts.push_back(index);
  }
  return planned;
}

}  // namespace topoplan
