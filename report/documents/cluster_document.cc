#include "report/documents/cluster_document.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/document.h"
#include "core/json_fields.h"
#include "core/pci_bus_id.h"
#include "core/units.h"
#include "report/documents/inventory_document.h"
#include "report/documents/path_overhead.h"
#include "report/documents/probe_structure.h"

namespace topoplan {
namespace {

// Each bandwidth sample, in the order taken.
nlohmann::ordered_json samplesJson(const std::vector<double>& gbps) {
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (double value : gbps) samples.push_back(significant(value));
  return samples;
}

nlohmann::ordered_json figuresJson(const std::vector<SizeFigures>& sizes) {
  return {{"bw_gbps", sampleStatsJson(sizes.back().bwGbps)},
          {"lat_us", sampleStatsJson(sizes.front().latUs)}};
}

// The GPU a rank uses: one per rank, by local rank, where its host has that many.
nlohmann::ordered_json rankGpu(const InventoryRecord& inventory, int localRank) {
  if (!inventory.cuda || localRank >= static_cast<int>(inventory.cuda->devices.size()))
    return nullptr;
  return localRank;
}

// The path between the GPUs of two ranks of one host, NCCL-style (nvlink, nvswitch,
// pcie-switch, host-bridge, numa, system): their bus ids from the CUDA devices of the host's
// inventory, looked up in its gpu_pairs (hwloc). Empty when either is unknown.
std::string gpuPath(const InventoryRecord& inventory, const nlohmann::ordered_json& gpuA,
                    const nlohmann::ordered_json& gpuB) {
  if (!gpuA.is_number_integer() || !gpuB.is_number_integer() || !inventory.cuda) return "";
  const auto busId = [&](const nlohmann::ordered_json& gpu) {
    return normalizeBusId(inventory.cuda->devices[gpu.get<std::size_t>()].pciBusId);
  };
  const std::string a = busId(gpuA), b = busId(gpuB);
  for (const GpuPairPath& pair : inventory.gpuPairs) {
    const std::string x = normalizeBusId(pair.a), y = normalizeBusId(pair.b);
    if ((x == a && y == b) || (x == b && y == a)) return pair.path;
  }
  return "";
}

}  // namespace

namespace {

// A link's row of links[].
nlohmann::ordered_json linkJson(const ProbeRun& run, const ProbedPath& path,
                                const LinkMeasurement& link, const nlohmann::ordered_json& ranks) {
  const std::string& hostA = run.rankHosts[static_cast<std::size_t>(link.a)];
  const std::string& hostB = run.rankHosts[static_cast<std::size_t>(link.b)];
  const std::vector<SizeFigures>& primary = link.primary();
  nlohmann::ordered_json item = {
      {"a", link.a},
      {"b", link.b},
      {"host_a", hostA},
      {"host_b", hostB},
      {"path", hostA == hostB ? path.localPath : path.networkPath},
      {"probe", path.probe},
      {"iface",
       path.iface.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(path.iface)}};
  if (hostA == hostB && run.inventories.count(hostA)) {
    const std::string gpu =
        gpuPath(run.inventories.at(hostA), ranks[static_cast<std::size_t>(link.a)]["gpu"],
                ranks[static_cast<std::size_t>(link.b)]["gpu"]);
    if (!gpu.empty()) item["gpu_path"] = gpu;
  }
  if (primary.empty()) return item;
  const auto figures = figuresJson(primary);
  item["bw_gbps"] = figures["bw_gbps"];
  item["lat_us"] = figures["lat_us"];
  item["bytes"] = primary.back().bytes;
  item["samples"] = primary.back().bwGbps.samples;
  if (!primary.back().bwSamplesGbps.empty())
    item["bw_samples_gbps"] = samplesJson(primary.back().bwSamplesGbps);
  item["lat_samples"] = primary.front().latUs.samples;
  item["source"] = "measured";
  item["measured_alone"] = !link.alone.empty();
  // The contention its figures met: 1 alone, else its round's most pairs on one of its uplinks.
  item["contention"] = !link.alone.empty() ? 1 : link.contention;
  item["budget_limited"] = std::any_of(primary.begin(), primary.end(),
                                       [](const SizeFigures& f) { return f.budgetLimited; });
  if (!link.alone.empty() && !link.concurrent.empty())
    item["concurrent"] = figuresJson(link.concurrent);
  if (!link.skippedSizes.empty()) {
    item["skipped_sizes"] = link.skippedSizes;
    item["skip_reason"] = link.skipReason;
  }
  std::vector<SweepPoint> sweep;
  for (const SizeFigures& size : primary) sweep.push_back({size.bytes, size.latUs.median});
  if (auto fit = fitAlphaBeta(sweep, hostA + " <-> " + hostB)) {
    item["fit"] = {{"alpha_us", significant(fit->alphaUs)},
                   {"beta_gbps", significant(fit->betaGbps)}};
  }
  if (run.keepSweeps) {
    item["sizes"] = nlohmann::ordered_json::array();
    item["sweep"] = nlohmann::ordered_json::array();
    for (const SizeFigures& size : primary) {
      item["sizes"].push_back({{"bytes", size.bytes},
                               {"bw_gbps", sampleStatsJson(size.bwGbps)},
                               {"lat_us", sampleStatsJson(size.latUs)},
                               {"samples", size.bwGbps.samples},
                               {"window", size.window},
                               {"budget_limited", size.budgetLimited},
                               {"bw_samples_gbps", samplesJson(size.bwSamplesGbps)}});
      item["sweep"].push_back({{"bytes", size.bytes}, {"time_us", size.latUs.median}});
    }
  }
  return item;
}

// The links of every path between hosts, as inference and the overheads see them.
std::vector<PairMeasurement> networkPairs(const ProbeRun& run,
                                          const std::vector<ProbedPath>& paths) {
  std::vector<PairMeasurement> pairs;
  for (const ProbedPath& path : paths) {
    for (PairMeasurement pair : hostPairs(path.result, run.rankHosts)) {
      pair.probe = path.probe;
      pair.iface = path.iface;
      pairs.push_back(std::move(pair));
    }
  }
  return pairs;
}

}  // namespace

// The document without its links (links[] empty); the writer streams them in.
nlohmann::ordered_json clusterDocumentHead(const ProbeRun& run,
                                           const std::vector<ProbedPath>& paths) {
  const std::vector<std::string> hostNames = uniqueHosts(run.rankHosts);
  nlohmann::ordered_json doc = makeDocumentHeader("cluster", 1, run.argv, hostNames);
  doc["hosts"] = nlohmann::ordered_json::array();
  for (const std::string& host : hostNames) {
    nlohmann::ordered_json inventory = nlohmann::ordered_json::object();
    if (auto it = run.inventories.find(host); it != run.inventories.end()) {
      inventory = inventoryJson(it->second);
    } else if (auto error = run.inventoryErrors.find(host); error != run.inventoryErrors.end()) {
      inventory = {{"error", error->second}};
    }
    doc["hosts"].push_back({{"name", host}, {"inventory", std::move(inventory)}});
  }
  doc["ranks"] = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < run.rankHosts.size(); ++r) {
    const int localRank = r < run.localRanks.size() ? run.localRanks[r] : 0;
    const std::string& host = run.rankHosts[r];
    doc["ranks"].push_back(
        {{"rank", r},
         {"host", host},
         {"local_rank", localRank},
         {"gpu", run.inventories.count(host) ? rankGpu(run.inventories.at(host), localRank)
                                             : nlohmann::ordered_json(nullptr)}});
  }
  doc["probe_config"] = run.config;
  doc["links"] = nlohmann::ordered_json::array();
  doc["paths"] = nlohmann::ordered_json::array();
  doc["suspects"] = nlohmann::ordered_json::array();
  doc["suspect_hosts"] = nlohmann::ordered_json::array();
  int rounds = 0, retestRounds = 0;
  for (const ProbedPath& path : paths) {
    const ProbeResult& result = path.result;
    rounds = std::max(rounds, result.rounds);
    retestRounds = std::max(retestRounds, result.retestRounds);
    std::size_t suspects = 0, budgetLimited = 0, skipped = 0;
    for (const LinkMeasurement& link : result.links) {
      const auto& primary = link.primary();
      budgetLimited += std::any_of(primary.begin(), primary.end(),
                                   [](const SizeFigures& f) { return f.budgetLimited; });
      skipped += !link.skippedSizes.empty();
      if (link.suspectReason.empty()) continue;
      ++suspects;
      const std::string& hostA = run.rankHosts[static_cast<std::size_t>(link.a)];
      const std::string& hostB = run.rankHosts[static_cast<std::size_t>(link.b)];
      nlohmann::ordered_json suspect = {{"a", link.a},
                                        {"b", link.b},
                                        {"host_a", hostA},
                                        {"host_b", hostB},
                                        {"probe", path.probe},
                                        {"iface", path.iface},
                                        {"reason", link.suspectReason},
                                        {"measured_again", !link.alone.empty()}};
      if (!link.concurrent.empty()) suspect["concurrent"] = figuresJson(link.concurrent);
      if (!link.alone.empty()) suspect["alone"] = figuresJson(link.alone);
      doc["suspects"].push_back(suspect);
    }
    for (const SuspectHost& host : result.suspectHosts) {
      doc["suspect_hosts"].push_back({{"host", host.host},
                                      {"probe", path.probe},
                                      {"iface", path.iface},
                                      {"reason", host.reason}});
    }
    doc["paths"].push_back({{"probe", path.probe},
                            {"iface", path.iface},
                            {"path", path.networkPath},
                            {"links", result.links.size()},
                            {"rounds", result.rounds},
                            {"retest_rounds", result.retestRounds},
                            {"suspects", suspects},
                            {"budget_limited_links", budgetLimited},
                            {"links_with_skipped_sizes", skipped},
                            {"suspect_rule", result.suspectRule}});
  }
  doc["rounds"] = rounds;
  doc["retest_rounds"] = retestRounds;
  doc["domain_uplinks"] = nlohmann::ordered_json::array();
  for (const DomainAggregate& a : run.aggregates) {
    doc["domain_uplinks"].push_back({{"probe", run.aggregatesPath},
                                     {"level", a.level},
                                     {"domain", a.domain},
                                     {"hosts", a.hosts},
                                     {"flows", a.pairGbps.samples},
                                     {"aggregate_gbps", significant(a.aggregateGbps)},
                                     {"flow_gbps", sampleStatsJson(a.pairGbps)}});
  }
  doc["domain_rings"] = nlohmann::ordered_json::array();
  doc["uplink_duplex"] = nlohmann::ordered_json::array();
  for (const DomainRing& ring : run.rings) {
    std::vector<double> rates;
    for (double rate : ring.rates) rates.push_back(significant(rate));
    doc[ring.acrossUplink ? "uplink_duplex" : "domain_rings"].push_back(
        {{"probe", run.aggregatesPath},
         {ring.acrossUplink ? "domains" : "domain", ring.domain},
         {"hosts", ring.hosts},
         {"host_gbps", sampleStatsJson(ring.hostGbps())},
         {"rates_gbps", rates}});
  }
  doc["structure"] = run.structure.source.empty() ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(run.structure.source);
  doc["path_overhead"] = pathOverheadJson(
      pathOverheads(networkPairs(run, paths), [&](const std::string& a, const std::string& b) {
        return run.structure.sharedLevels(a, b);
      }));
  doc["gpu_copies"] = nlohmann::ordered_json::array();
  for (const GpuCopyRecord& copy : run.gpuCopies) doc["gpu_copies"].push_back(gpuCopyJson(copy));
  doc["waived"] = nlohmann::ordered_json::array();
  for (const auto& [probe, reason] : run.waived)
    doc["waived"].push_back({{"probe", probe}, {"reason", reason}});
  addCompleteness(doc, run.interruption, run.rankHosts);
  doc["wall_time_s"] = run.wallSeconds;
  if (run.discovery) {
    doc["discovery"] = {{"pairs", run.discovery->pairs},
                        {"rounds", run.discovery->rounds},
                        {"levels_found", run.discovery->levels},
                        {"outcome", run.discovery->outcome}};
  }
  if (run.modeled) {
    doc["modeled"] = true;
    doc["modeled_wall_s"] = run.modeledWallSeconds;
  }
  return doc;
}

std::string clusterDocumentText(const ProbeRun& run, const std::vector<ProbedPath>& paths) {
  const nlohmann::ordered_json head = clusterDocumentHead(run, paths);
  return dumpWithRows(head, "links", [&](const auto& emit) {
    for (const ProbedPath& path : paths) {
      for (const LinkMeasurement& link : path.result.links)
        emit(linkJson(run, path, link, head["ranks"]));
    }
  });
}

nlohmann::ordered_json clusterDocument(const ProbeRun& run, const std::vector<ProbedPath>& paths) {
  nlohmann::ordered_json doc = clusterDocumentHead(run, paths);
  for (const ProbedPath& path : paths) {
    for (const LinkMeasurement& link : path.result.links)
      doc["links"].push_back(linkJson(run, path, link, doc["ranks"]));
  }
  return doc;
}

}  // namespace topoplan
