// Reading a cluster document's measurements back, and writing generated pairs as one.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/document.h"
#include "core/json_fields.h"
#include "core/units.h"
#include "report/documents/cluster_document.h"

namespace topoplan {

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
  auto views = readHostViews(document, source, true);
  if (!views) return views.error();
  measurements.views = std::move(*views);
  for (const char* list : {"domain_rings", "uplink_duplex"}) {
    if (!document.contains(list)) continue;
    auto rings = arrayField(document, source, list);
    if (!rings) return rings.error();
    for (std::size_t i = 0; i < (*rings)->size(); ++i) {
      const std::string at = source + "." + list + "[" + std::to_string(i) + "]";
      const auto& item = (**rings)[i];
      RingFigure ring;
      ring.acrossUplink = std::string(list) == "uplink_duplex";
      auto hosts = arrayField(item, at, "hosts");
      if (!hosts) return hosts.error();
      for (const auto& host : **hosts) {
        if (!host.is_string())
          return Error(at + ".hosts: " + host.dump() + ", expected host names");
        ring.hosts.push_back(host.get<std::string>());
      }
      if (ring.acrossUplink && ring.hosts.size() != 2)
        return Error(at + ".hosts: " + std::to_string(ring.hosts.size()) +
                     " hosts, expected 2 (one on each side of the uplink)");
      auto rate = objectField(item, at, "host_gbps");
      if (!rate) return rate.error();
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "median", ring.gbps));
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "p10", ring.p10));
      TOPOPLAN_TRY(readField(**rate, at + ".host_gbps", "p90", ring.p90));
      if (item.contains("rates_gbps") || ring.acrossUplink) {
        TOPOPLAN_TRY(readNonNegativeNumbers(item, at, "rates_gbps", ring.rates));
        if (ring.rates.size() != ring.hosts.size())
          return Error(at + ".rates_gbps: " + std::to_string(ring.rates.size()) +
                       " rates, expected one per host (" + std::to_string(ring.hosts.size()) + ")");
      }
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
