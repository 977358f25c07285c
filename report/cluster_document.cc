#include "report/cluster_document.h"

#include <algorithm>

#include "core/document.h"
#include "core/json_fields.h"
#include "core/pci_bus_id.h"

namespace topoplan {
namespace {

nlohmann::ordered_json statsJson(const SampleStats& s) {
  return {{"median", s.median}, {"p10", s.p10}, {"p90", s.p90}, {"min", s.min}, {"max", s.max}};
}

nlohmann::ordered_json figuresJson(const std::vector<SizeFigures>& sizes) {
  return {{"bw_gbps", statsJson(sizes.back().bwGbps)}, {"lat_us", statsJson(sizes.front().latUs)}};
}

// The GPU a rank uses: one per rank, by local rank, where its host has that many.
nlohmann::ordered_json rankGpu(const nlohmann::ordered_json& inventory, int localRank) {
  if (!inventory.contains("cuda") || !inventory["cuda"].contains("devices")) return nullptr;
  const auto& devices = inventory["cuda"]["devices"];
  if (!devices.is_array() || localRank >= static_cast<int>(devices.size())) return nullptr;
  return localRank;
}

// The path between the GPUs of two ranks of one host, NCCL-style (nvlink, nvswitch,
// pcie-switch, host-bridge, numa, system): their bus ids from the CUDA devices of the host's
// inventory, looked up in its gpu_pairs (hwloc). Empty when either is unknown.
std::string gpuPath(const nlohmann::ordered_json& inventory, const nlohmann::ordered_json& gpuA,
                    const nlohmann::ordered_json& gpuB) {
  if (!gpuA.is_number_integer() || !gpuB.is_number_integer()) return "";
  const auto busId = [&](const nlohmann::ordered_json& gpu) {
    const auto& devices = inventory["cuda"]["devices"];
    const auto index = gpu.get<std::size_t>();
    return normalizeBusId(devices[index].value("pci_busid", ""));
  };
  const std::string a = busId(gpuA), b = busId(gpuB);
  if (!inventory.contains("gpu_pairs") || !inventory["gpu_pairs"].is_array()) return "";
  for (const auto& pair : inventory["gpu_pairs"]) {
    const std::string x = normalizeBusId(pair.value("a", "")),
                      y = normalizeBusId(pair.value("b", ""));
    if ((x == a && y == b) || (x == b && y == a)) return pair.value("path", "");
  }
  return "";
}

}  // namespace

nlohmann::ordered_json gpuCopyJson(const GpuCopyRecord& copy) {
  auto device = [](int index) {
    return index < 0 ? nlohmann::ordered_json("host") : nlohmann::ordered_json(index);
  };
  nlohmann::ordered_json item = {{"kind", copy.kind},
                                 {"src", device(copy.src)},
                                 {"dst", device(copy.dst)},
                                 {"bytes", copy.bytes},
                                 {"path", copy.path},
                                 {"bw_gbps", statsJson(copy.bwGbps)},
                                 {"samples", copy.bwGbps.samples}};
  if (copy.expectedPeakGbps > 0) {
    item["expected_peak_gbps"] = copy.expectedPeakGbps;
    item["peak_percent"] = copy.peakPercent();
    item["peak_basis"] = copy.peakBasis;
  } else {
    item["expected_peak_gbps"] = nullptr;
  }
  return item;
}

nlohmann::ordered_json clusterDocument(const ProbeRun& run, const std::vector<ProbedPath>& paths) {
  const std::vector<std::string> hostNames = uniqueHosts(run.rankHosts);
  nlohmann::ordered_json doc = makeDocumentHeader("cluster", 1, run.argv, hostNames);
  doc["hosts"] = nlohmann::ordered_json::array();
  for (const std::string& host : hostNames) {
    doc["hosts"].push_back(
        {{"name", host},
         {"inventory", run.inventories.contains(host) ? run.inventories[host]
                                                      : nlohmann::ordered_json::object()}});
  }
  doc["ranks"] = nlohmann::ordered_json::array();
  for (std::size_t r = 0; r < run.rankHosts.size(); ++r) {
    const int localRank = r < run.localRanks.size() ? run.localRanks[r] : 0;
    const std::string& host = run.rankHosts[r];
    doc["ranks"].push_back(
        {{"rank", r},
         {"host", host},
         {"local_rank", localRank},
         {"gpu", run.inventories.contains(host) ? rankGpu(run.inventories[host], localRank)
                                                : nlohmann::ordered_json(nullptr)}});
  }
  doc["links"] = nlohmann::ordered_json::array();
  doc["suspects"] = nlohmann::ordered_json::array();
  int rounds = 0;
  for (const ProbedPath& path : paths) {
    rounds = std::max(rounds, path.result.rounds);
    for (const LinkMeasurement& link : path.result.links) {
      const std::string& hostA = run.rankHosts[static_cast<std::size_t>(link.a)];
      const std::string& hostB = run.rankHosts[static_cast<std::size_t>(link.b)];
      const std::vector<SizeFigures>& primary = link.serial.empty() ? link.concurrent : link.serial;
      nlohmann::ordered_json item = {
          {"a", link.a},
          {"b", link.b},
          {"host_a", hostA},
          {"host_b", hostB},
          {"path", hostA == hostB ? path.localPath : path.networkPath},
          {"probe", path.probe},
          {"iface", path.iface.empty() ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(path.iface)}};
      if (hostA == hostB && run.inventories.contains(hostA)) {
        const auto& ranks = doc["ranks"];
        const std::string path =
            gpuPath(run.inventories[hostA], ranks[static_cast<std::size_t>(link.a)]["gpu"],
                    ranks[static_cast<std::size_t>(link.b)]["gpu"]);
        if (!path.empty()) item["gpu_path"] = path;
      }
      const auto figures = figuresJson(primary);
      item["bw_gbps"] = figures["bw_gbps"];
      item["lat_us"] = figures["lat_us"];
      item["samples"] = primary.back().bwGbps.samples;
      item["source"] = "measured";
      item["measured_alone"] = !link.serial.empty();
      if (!link.serial.empty() && !link.concurrent.empty())
        item["concurrent"] = figuresJson(link.concurrent);
      item["sizes"] = nlohmann::ordered_json::array();
      item["sweep"] = nlohmann::ordered_json::array();
      for (const SizeFigures& size : primary) {
        item["sizes"].push_back({{"bytes", size.bytes},
                                 {"bw_gbps", statsJson(size.bwGbps)},
                                 {"lat_us", statsJson(size.latUs)}});
        item["sweep"].push_back({{"bytes", size.bytes}, {"time_us", size.latUs.median}});
      }
      doc["links"].push_back(item);
      if (!link.suspectReason.empty()) {
        nlohmann::ordered_json suspect = {{"a", link.a},         {"b", link.b},
                                          {"host_a", hostA},     {"host_b", hostB},
                                          {"probe", path.probe}, {"reason", link.suspectReason}};
        suspect["concurrent"] = figuresJson(link.concurrent);
        if (!link.serial.empty()) suspect["serial"] = figuresJson(link.serial);
        doc["suspects"].push_back(suspect);
      }
    }
  }
  doc["rounds"] = rounds;
  doc["gpu_copies"] = run.gpuCopies;
  doc["waived"] = nlohmann::ordered_json::array();
  for (const auto& [probe, reason] : run.waived)
    doc["waived"].push_back({{"probe", probe}, {"reason", reason}});
  addCompleteness(doc, run.interruption, run.rankHosts);
  doc["wall_time_s"] = run.wallSeconds;
  return doc;
}

Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source) {
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != "topoplan.cluster/v1") {
    return Error(source + ".schema: '" + schema + "', expected 'topoplan.cluster/v1'");
  }
  if (const std::string reason = incompleteReason(document); !reason.empty()) {
    return Error(source + ".incomplete: the probe ended before it measured every pair (" + reason +
                 "): expected a complete probe; measure again");
  }
  ClusterMeasurements measurements;
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    std::string name;
    const std::string at = source + ".hosts[" + std::to_string(i) + "]";
    TOPOPLAN_TRY(readField((**hosts)[i], at, "name", name));
    if (std::find(measurements.hosts.begin(), measurements.hosts.end(), name) !=
        measurements.hosts.end()) {
      return Error(at + ".name: host '" + name + "' listed twice, expected each host once");
    }
    measurements.hosts.push_back(name);
  }
  auto links = arrayField(document, source, "links");
  if (!links) return links.error();
  for (std::size_t i = 0; i < (*links)->size(); ++i) {
    const auto& link = (**links)[i];
    const std::string where = source + ".links[" + std::to_string(i) + "]";
    PairMeasurement pair;
    TOPOPLAN_TRY(readField(link, where, "host_a", pair.a));
    TOPOPLAN_TRY(readField(link, where, "host_b", pair.b));
    auto bw = objectField(link, where, "bw_gbps");
    if (!bw) return bw.error();
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "median", pair.gbps));
    if (link.contains("lat_us")) {
      auto lat = objectField(link, where, "lat_us");
      if (!lat) return lat.error();
      TOPOPLAN_TRY(readField(**lat, where + ".lat_us", "median", pair.latencyUs));
    }
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
    if (pair.a != pair.b) measurements.pairs.push_back(withSweepFit(std::move(pair)));
  }
  return measurements;
}

}  // namespace topoplan
