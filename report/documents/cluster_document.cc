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

nlohmann::ordered_json statsJson(const SampleStats& s) {
  return {{"median", significant(s.median)},
          {"p10", significant(s.p10)},
          {"p90", significant(s.p90)},
          {"min", significant(s.min)},
          {"max", significant(s.max)}};
}

// Each bandwidth sample, in the order taken.
nlohmann::ordered_json samplesJson(const std::vector<double>& gbps) {
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (double value : gbps) samples.push_back(significant(value));
  return samples;
}

nlohmann::ordered_json figuresJson(const std::vector<SizeFigures>& sizes) {
  return {{"bw_gbps", statsJson(sizes.back().bwGbps)}, {"lat_us", statsJson(sizes.front().latUs)}};
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

nlohmann::ordered_json gpuCopyJson(const GpuCopyRecord& copy) {
  auto device = [](int index) {
    return index < 0 ? nlohmann::ordered_json("host") : nlohmann::ordered_json(index);
  };
  nlohmann::ordered_json item = nlohmann::ordered_json::object();
  if (!copy.host.empty()) item["host"] = copy.host;
  item.update(nlohmann::ordered_json{{"kind", copy.kind},
                                     {"src", device(copy.src)},
                                     {"dst", device(copy.dst)},
                                     {"bytes", copy.bytes},
                                     {"path", copy.path},
                                     {"bw_gbps", statsJson(copy.bwGbps)},
                                     {"samples", copy.bwGbps.samples}});
  if (copy.expectedPeakGbps > 0) {
    item["expected_peak_gbps"] = copy.expectedPeakGbps;
    item["peak_percent"] = copy.peakPercent();
    item["peak_basis"] = copy.peakBasis;
  } else {
    item["expected_peak_gbps"] = nullptr;
  }
  return item;
}

Result<GpuCopyRecord> gpuCopyFromJson(const nlohmann::ordered_json& json,
                                      const std::string& where) {
  if (!json.is_object()) return Error(where + ": expected an object");
  GpuCopyRecord copy;
  if (json.contains("host")) TOPOPLAN_TRY(readField(json, where, "host", copy.host));
  TOPOPLAN_TRY(readField(json, where, "kind", copy.kind));
  for (auto [key, device] : {std::pair{"src", &copy.src}, std::pair{"dst", &copy.dst}}) {
    const auto it = json.find(key);
    if (it != json.end() && *it == "host") continue;  // host memory: -1
    if (it == json.end() || !it->is_number_integer() || it->get<long long>() < 0 ||
        it->get<long long>() > 1 << 20)
      return Error(where + "." + key + ": expected \"host\" or a CUDA device index");
    *device = it->get<int>();
  }
  TOPOPLAN_TRY(readField(json, where, "bytes", copy.bytes));
  TOPOPLAN_TRY(readField(json, where, "path", copy.path));
  TOPOPLAN_TRY(readSampleStats(json, where, "bw_gbps", copy.bwGbps, true));
  TOPOPLAN_TRY(readField(json, where, "samples", copy.bwGbps.samples));
  if (json.contains("expected_peak_gbps") && !json["expected_peak_gbps"].is_null()) {
    TOPOPLAN_TRY(readField(json, where, "expected_peak_gbps", copy.expectedPeakGbps));
    if (!(copy.expectedPeakGbps >= 0))
      return Error(where + ".expected_peak_gbps: expected a number >= 0");
    if (json.contains("peak_basis"))
      TOPOPLAN_TRY(readField(json, where, "peak_basis", copy.peakBasis));
  }
  return copy;
}

Result<ClusterHostViews> readHostViews(const nlohmann::ordered_json& document,
                                       const std::string& source) {
  ClusterHostViews views;
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    const auto& host = (**hosts)[i];
    const std::string where = source + ".hosts[" + std::to_string(i) + "]";
    std::string name;
    TOPOPLAN_TRY(readField(host, where, "name", name));
    if (!host.contains("inventory")) continue;
    const auto& inventory = host["inventory"];
    if (inventory.is_object() && (inventory.empty() || inventory.contains("error"))) continue;
    auto record = inventoryFromJson(inventory, where + ".inventory");
    if (!record) return record.error();
    views.inventories.emplace_back(name, std::move(*record));
  }
  if (!document.contains("gpu_copies")) return views;
  auto copies = arrayField(document, source, "gpu_copies");
  if (!copies) return copies.error();
  for (std::size_t i = 0; i < (*copies)->size(); ++i) {
    auto copy = gpuCopyFromJson((**copies)[i], source + ".gpu_copies[" + std::to_string(i) + "]");
    if (!copy) return copy.error();
    views.gpuCopies.push_back(std::move(*copy));
  }
  return views;
}

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
                               {"bw_gbps", statsJson(size.bwGbps)},
                               {"lat_us", statsJson(size.latUs)},
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
                                     {"flow_gbps", statsJson(a.pairGbps)}});
  }
  doc["domain_rings"] = nlohmann::ordered_json::array();
  for (const DomainRing& ring : run.rings) {
    doc["domain_rings"].push_back({{"probe", run.aggregatesPath},
                                   {"domain", ring.domain},
                                   {"hosts", ring.hosts},
                                   {"host_gbps", statsJson(ring.hostGbps)}});
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

namespace {

// Reads one link row; network pairs go to `pairs`.
Status readLink(const nlohmann::ordered_json& link, const std::string& where,
                const std::string& measuredUtc, std::vector<PairMeasurement>& pairs) {
  if (!link.is_object()) return Error(where + ": expected an object");
  PairMeasurement pair;
  TOPOPLAN_TRY(readField(link, where, "host_a", pair.a));
  TOPOPLAN_TRY(readField(link, where, "host_b", pair.b));
  auto bw = objectField(link, where, "bw_gbps");
  if (!bw) return bw.error();
  TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "median", pair.gbps));
  if ((*bw)->contains("p10"))
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "p10", pair.gbpsP10));
  if ((*bw)->contains("p90"))
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "p90", pair.gbpsP90));
  if (link.contains("lat_us")) {
    auto lat = objectField(link, where, "lat_us");
    if (!lat) return lat.error();
    TOPOPLAN_TRY(readField(**lat, where + ".lat_us", "median", pair.latencyUs));
    if ((*lat)->contains("p10"))
      TOPOPLAN_TRY(readField(**lat, where + ".lat_us", "p10", pair.latencyP10));
    if ((*lat)->contains("p90"))
      TOPOPLAN_TRY(readField(**lat, where + ".lat_us", "p90", pair.latencyP90));
  }
  if (link.contains("samples")) TOPOPLAN_TRY(readField(link, where, "samples", pair.samples));
  if (link.contains("contention")) {
    std::uint64_t contention = 0;
    TOPOPLAN_TRY(readField(link, where, "contention", contention));
    pair.contention = static_cast<int>(std::min<std::uint64_t>(contention, 1u << 20));
  }
  if (link.contains("probe") && !link["probe"].is_null())
    TOPOPLAN_TRY(readField(link, where, "probe", pair.probe));
  if (link.contains("iface") && !link["iface"].is_null())
    TOPOPLAN_TRY(readField(link, where, "iface", pair.iface));
  pair.measuredUtc = measuredUtc;
  if (link.contains("measured_utc"))
    TOPOPLAN_TRY(readField(link, where, "measured_utc", pair.measuredUtc));
  if (link.contains("sweep")) {
    auto sweep = arrayField(link, where, "sweep");
    if (!sweep) return sweep.error();
    for (std::size_t k = 0; k < (*sweep)->size(); ++k) {
      const std::string at = where + ".sweep[" + std::to_string(k) + "]";
      SweepPoint point;
      TOPOPLAN_TRY(readField((**sweep)[k], at, "bytes", point.bytes));
      TOPOPLAN_TRY(readField((**sweep)[k], at, "time_us", point.timeUs));
      pair.sweep.push_back(point);
    }
  }
  if (pair.a == pair.b) return okStatus();
  if (link.contains("fit")) {
    auto fit = objectField(link, where, "fit");
    if (!fit) return fit.error();
    TOPOPLAN_TRY(readField(**fit, where + ".fit", "alpha_us", pair.latencyUs));
    pair.sweep.clear();
    pairs.push_back(std::move(pair));
    return okStatus();
  }
  pairs.push_back(withSweepFit(std::move(pair)));
  return okStatus();
}

// Checks the schema and completeness and reads the hosts of a document (links apart).
Status readHead(const nlohmann::ordered_json& document, const std::string& source,
                ClusterMeasurements& measurements) {
  if (!document.is_object()) return Error(source + ": expected an object with \"schema\"");
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != "topoplan.cluster/v1") {
    return Error(source + ".schema: '" + schema + "', expected 'topoplan.cluster/v1'");
  }
  if (const std::string reason = incompleteReason(document); !reason.empty()) {
    return Error(source + ".incomplete: the probe ended before it measured every pair (" + reason +
                 "): expected a complete probe; measure again");
  }
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    std::string name;
    const std::string at = source + ".hosts[" + std::to_string(i) + "]";
    TOPOPLAN_TRY(readField((**hosts)[i], at, "name", name));
    if (!seen.insert(name).second) {
      return Error(at + ".name: host '" + name + "' listed twice, expected each host once");
    }
    measurements.hosts.push_back(name);
  }
  if (document.contains("domain_rings")) {
    auto rings = arrayField(document, source, "domain_rings");
    if (!rings) return rings.error();
    for (std::size_t i = 0; i < (*rings)->size(); ++i) {
      const std::string at = source + ".domain_rings[" + std::to_string(i) + "]";
      const auto& item = (**rings)[i];
      RingFigure ring;
      auto list = arrayField(item, at, "hosts");
      if (!list) return list.error();
      for (const auto& host : **list) {
        if (!host.is_string())
          return Error(at + ".hosts: " + host.dump() + ", expected host names");
        ring.hosts.push_back(host.get<std::string>());
      }
      auto rate = objectField(item, at, "host_gbps");
      if (!rate) return rate.error();
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "median", ring.gbps));
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "p10", ring.p10));
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "p90", ring.p90));
      measurements.rings.push_back(std::move(ring));
    }
  }
  if (!document.contains("domain_uplinks")) return okStatus();
  auto uplinks = arrayField(document, source, "domain_uplinks");
  if (!uplinks) return uplinks.error();
  for (std::size_t i = 0; i < (*uplinks)->size(); ++i) {
    const auto& item = (**uplinks)[i];
    const std::string at = source + ".domain_uplinks[" + std::to_string(i) + "]";
    UplinkAggregate aggregate;
    TOPOPLAN_TRY(readField(item, at, "aggregate_gbps", aggregate.gbps));
    std::uint64_t flows = 0;
    TOPOPLAN_TRY(readField(item, at, "flows", flows));
    aggregate.flows = static_cast<std::size_t>(flows);
    auto list = arrayField(item, at, "hosts");
    if (!list) return list.error();
    for (const auto& host : **list) {
      if (!host.is_string()) return Error(at + ".hosts: " + host.dump() + ", expected host names");
      aggregate.hosts.push_back(host.get<std::string>());
    }
    if (item.contains("flow_gbps")) {
      auto flow = objectField(item, at, "flow_gbps");
      if (!flow) return flow.error();
      TOPOPLAN_TRY(readField(**flow, at + ".flow_gbps", "p10", aggregate.flowP10));
      TOPOPLAN_TRY(readField(**flow, at + ".flow_gbps", "p90", aggregate.flowP90));
    }
    measurements.aggregates.push_back(std::move(aggregate));
  }
  return okStatus();
}

// Of the figures for one pair of hosts on one path measured at several times (merged documents),
// the newest.
void keepNewest(std::vector<PairMeasurement>& pairs) {
  std::map<std::tuple<std::string, std::string, std::string, std::string>, std::string> newest;
  auto key = [](const PairMeasurement& p) {
    return std::tuple(std::min(p.a, p.b), std::max(p.a, p.b), p.probe, p.iface);
  };
  for (const PairMeasurement& pair : pairs) {
    std::string& time = newest[key(pair)];
    time = std::max(time, pair.measuredUtc);
  }
  std::erase_if(pairs, [&](const PairMeasurement& p) { return p.measuredUtc < newest[key(p)]; });
}

std::string createdUtc(const nlohmann::ordered_json& document) {
  return document.contains("created_utc") && document["created_utc"].is_string()
             ? document["created_utc"].get<std::string>()
             : "";
}

}  // namespace

Result<ClusterMeasurements> readClusterText(const std::string& text, const std::string& source) {
  ClusterMeasurements measurements;
  // Links are read as they stream by; the document's time is known only at its end (or from a
  // link's own measured_utc), so it is filled in after.
  std::vector<PairMeasurement> pairs;
  auto document = parseJsonRows(text, source, "links", [&](const auto& row, std::size_t i) {
    return readLink(row, source + ".links[" + std::to_string(i) + "]", "", pairs);
  });
  if (!document) return document.error();
  TOPOPLAN_TRY(readHead(*document, source, measurements));
  if (!document->contains("links") || !(*document)["links"].is_array())
    return Error(source + ".links: missing, expected an array");
  const std::string created = createdUtc(*document);
  for (PairMeasurement& pair : pairs) {
    if (pair.measuredUtc.empty()) pair.measuredUtc = created;
  }
  keepNewest(pairs);
  measurements.pairs = std::move(pairs);
  return measurements;
}

Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source) {
  ClusterMeasurements measurements;
  TOPOPLAN_TRY(readHead(document, source, measurements));
  auto links = arrayField(document, source, "links");
  if (!links) return links.error();
  const std::string created = createdUtc(document);
  for (std::size_t i = 0; i < (*links)->size(); ++i) {
    TOPOPLAN_TRY(readLink((**links)[i], source + ".links[" + std::to_string(i) + "]", created,
                          measurements.pairs));
  }
  keepNewest(measurements.pairs);
  return measurements;
}

}  // namespace topoplan

namespace topoplan {

std::string pairsDocumentText(const std::vector<std::string>& hosts,
                              const std::vector<PairMeasurement>& pairs,
                              const std::vector<std::string>& argv, const std::string& source) {
  nlohmann::ordered_json doc = makeDocumentHeader("cluster", 1, argv, hosts);
  std::map<std::string, std::size_t> rank;
  doc["hosts"] = nlohmann::ordered_json::array();
  doc["ranks"] = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    rank[hosts[i]] = i;
    doc["hosts"].push_back({{"name", hosts[i]}, {"inventory", nlohmann::ordered_json::object()}});
    doc["ranks"].push_back({{"rank", i}, {"host", hosts[i]}, {"local_rank", 0}, {"gpu", nullptr}});
  }
  doc["links"] = nlohmann::ordered_json::array();
  doc["incomplete"] = false;
  return dumpWithRows(doc, "links", [&](const auto& emit) {
    for (const PairMeasurement& pair : pairs) {
      const std::size_t a = rank.at(pair.a), b = rank.at(pair.b);
      nlohmann::ordered_json link = {{"a", std::min(a, b)},
                                     {"b", std::max(a, b)},
                                     {"host_a", a < b ? pair.a : pair.b},
                                     {"host_b", a < b ? pair.b : pair.a},
                                     {"path", "net"},
                                     {"probe", pair.probe.empty() ? "mpi" : pair.probe},
                                     {"bw_gbps",
                                      {{"median", significant(pair.gbps)},
                                       {"p10", significant(pair.gbpsP10)},
                                       {"p90", significant(pair.gbpsP90)}}},
                                     {"lat_us",
                                      {{"median", significant(pair.latencyUs)},
                                       {"p10", significant(pair.latencyP10)},
                                       {"p90", significant(pair.latencyP90)}}},
                                     {"samples", pair.samples},
                                     {"source", source}};
      emit(link);
    }
  });
}

}  // namespace topoplan
