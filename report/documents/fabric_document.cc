#include "report/documents/fabric_document.h"

#include <functional>
#include <set>

#include "core/document.h"
#include "core/json_fields.h"

namespace topoplan {
namespace {

Status readPositive(const nlohmann::ordered_json& object, const std::string& where, const char* key,
                    double& out) {
  TOPOPLAN_TRY(readField(object, where, key, out));
  if (!(out > 0)) return Error(where + "." + key + ": expected a positive number");
  return okStatus();
}

Status readHosts(const nlohmann::ordered_json& document, const std::string& source,
                 ModeledFabric& fabric) {
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  if ((*hosts)->empty()) return Error(source + ".hosts: expected at least one host");
  std::set<std::string> names;
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    const auto& item = (**hosts)[i];
    const std::string where = source + ".hosts[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error(where + ": expected an object");
    ModeledFabric::Host host;
    TOPOPLAN_TRY(readField(item, where, "name", host.name));
    if (host.name.empty()) return Error(where + ".name: expected a host name");
    if (!names.insert(host.name).second)
      return Error(where + ".name: \"" + host.name + "\" appears twice");
    auto domains = arrayField(item, where, "domains");
    if (!domains) return domains.error();
    for (std::size_t l = 0; l < (*domains)->size(); ++l) {
      const auto& name = (**domains)[l];
      if (!name.is_string() || name.get<std::string>().empty() ||
          name.get<std::string>().find('/') != std::string::npos)
        return Error(where + ".domains[" + std::to_string(l) +
                     "]: expected a domain name (a non-empty string without '/')");
      host.domains.push_back(name.get<std::string>());
    }
    if (!fabric.hosts.empty() && host.domains.size() != fabric.hosts.front().domains.size()) {
      return Error(where + ".domains: " + std::to_string(host.domains.size()) +
                   " levels, expected " + std::to_string(fabric.hosts.front().domains.size()) +
                   " as hosts[0] has");
    }
    fabric.hosts.push_back(std::move(host));
  }
  return okStatus();
}

Status readPairs(const nlohmann::ordered_json& document, const std::string& source,
                 ModeledFabric& fabric) {
  auto pairs = arrayField(document, source, "pairs");
  if (!pairs) return pairs.error();
  const std::size_t classes = static_cast<std::size_t>(fabric.levels()) + 1;
  fabric.pairs.assign(classes, {});
  std::vector<char> seen(classes, 0);
  for (std::size_t i = 0; i < (*pairs)->size(); ++i) {
    const auto& item = (**pairs)[i];
    const std::string where = source + ".pairs[" + std::to_string(i) + "]";
    if (!item.is_object()) return Error(where + ": expected an object");
    std::uint64_t shared = 0;
    TOPOPLAN_TRY(readField(item, where, "shared_levels", shared));
    if (shared >= classes) {
      return Error(where + ".shared_levels: " + std::to_string(shared) + ", expected 0 to " +
                   std::to_string(classes - 1) + " (the levels of hosts[].domains)");
    }
    if (seen[shared]) return Error(where + ".shared_levels: " + std::to_string(shared) + " twice");
    seen[shared] = 1;
    TOPOPLAN_TRY(readPositive(item, where, "bandwidth_gbps", fabric.pairs[shared].bandwidthGbps));
    TOPOPLAN_TRY(readPositive(item, where, "latency_us", fabric.pairs[shared].latencyUs));
  }
  for (std::size_t s = 0; s < classes; ++s) {
    if (!seen[s])
      return Error(source + ".pairs: no entry with shared_levels " + std::to_string(s) +
                   ", expected one for every number from 0 to " + std::to_string(classes - 1));
  }
  return okStatus();
}

Status readFaults(const nlohmann::ordered_json& document, const std::string& source,
                  ModeledFabric& fabric) {
  if (!document.contains("faults")) return okStatus();
  auto faults = objectField(document, source, "faults");
  if (!faults) return faults.error();
  const std::string where = source + ".faults";
  std::set<std::string> hostNames, domainPaths;
  for (std::size_t h = 0; h < fabric.hosts.size(); ++h) {
    hostNames.insert(fabric.hosts[h].name);
    for (int l = 0; l < fabric.levels(); ++l) domainPaths.insert(fabric.domainPath(h, l));
  }
  auto each =
      [&](const char* key,
          const std::function<Status(const nlohmann::ordered_json&, const std::string&)>& read)
      -> Status {
    if (!(*faults)->contains(key)) return okStatus();
    auto list = arrayField(**faults, where, key);
    if (!list) return list.error();
    for (std::size_t i = 0; i < (*list)->size(); ++i) {
      const std::string at = where + "." + key + "[" + std::to_string(i) + "]";
      if (!(**list)[i].is_object()) return Error(at + ": expected an object");
      TOPOPLAN_TRY(read((**list)[i], at));
    }
    return okStatus();
  };
  auto host = [&](const nlohmann::ordered_json& item, const std::string& at, const char* key,
                  std::string& name) -> Status {
    TOPOPLAN_TRY(readField(item, at, key, name));
    if (!hostNames.count(name))
      return Error(at + "." + key + ": \"" + name + "\" is not in hosts[]");
    return okStatus();
  };
  TOPOPLAN_TRY(
      each("hosts", [&](const nlohmann::ordered_json& item, const std::string& at) -> Status {
        std::string name;
        TOPOPLAN_TRY(host(item, at, "name", name));
        return readPositive(item, at, "bandwidth_gbps", fabric.slowHosts[name]);
      }));
  TOPOPLAN_TRY(
      each("uplinks", [&](const nlohmann::ordered_json& item, const std::string& at) -> Status {
        std::string domain;
        TOPOPLAN_TRY(readField(item, at, "domain", domain));
        if (!domainPaths.count(domain)) {
          return Error(at + ".domain: \"" + domain +
                       "\" is no domain of hosts[] (a path of domain names, coarsest "
                       "first, joined by '/')");
        }
        return readPositive(item, at, "bandwidth_gbps", fabric.slowUplinks[domain]);
      }));
  return each("links", [&](const nlohmann::ordered_json& item, const std::string& at) -> Status {
    std::string a, b;
    TOPOPLAN_TRY(host(item, at, "a", a));
    TOPOPLAN_TRY(host(item, at, "b", b));
    if (a == b) return Error(at + ": a and b are the same host");
    const auto key = std::minmax(a, b);
    return readPositive(item, at, "bandwidth_gbps", fabric.slowLinks[{key.first, key.second}]);
  });
}

}  // namespace

Result<ModeledFabric> readFabricDocument(const nlohmann::ordered_json& document,
                                         const std::string& source) {
  if (!document.is_object()) return Error(source + ": expected a JSON object");
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != schemaName("fabric", 1))
    return Error(source + ".schema: \"" + schema + "\", expected \"topoplan.fabric/v1\"");
  ModeledFabric fabric;
  TOPOPLAN_TRY(readHosts(document, source, fabric));
  TOPOPLAN_TRY(readPairs(document, source, fabric));
  if (document.contains("noise_pct")) {
    TOPOPLAN_TRY(readField(document, source, "noise_pct", fabric.noisePct));
    if (!(fabric.noisePct >= 0 && fabric.noisePct < 100))
      return Error(source + ".noise_pct: expected a number from 0 to below 100");
  }
  if (document.contains("seed")) TOPOPLAN_TRY(readField(document, source, "seed", fabric.seed));
  TOPOPLAN_TRY(readFaults(document, source, fabric));
  return fabric;
}

nlohmann::ordered_json fabricDocument(const ModeledFabric& fabric) {
  nlohmann::ordered_json doc = {{"schema", schemaName("fabric", 1)}};
  doc["hosts"] = nlohmann::ordered_json::array();
  for (const auto& host : fabric.hosts)
    doc["hosts"].push_back({{"name", host.name}, {"domains", host.domains}});
  doc["pairs"] = nlohmann::ordered_json::array();
  for (std::size_t s = 0; s < fabric.pairs.size(); ++s) {
    doc["pairs"].push_back({{"shared_levels", s},
                            {"bandwidth_gbps", fabric.pairs[s].bandwidthGbps},
                            {"latency_us", fabric.pairs[s].latencyUs}});
  }
  doc["noise_pct"] = fabric.noisePct;
  doc["seed"] = fabric.seed;
  nlohmann::ordered_json faults = {{"hosts", nlohmann::ordered_json::array()},
                                   {"uplinks", nlohmann::ordered_json::array()},
                                   {"links", nlohmann::ordered_json::array()}};
  for (const auto& [name, gbps] : fabric.slowHosts)
    faults["hosts"].push_back({{"name", name}, {"bandwidth_gbps", gbps}});
  for (const auto& [domain, gbps] : fabric.slowUplinks)
    faults["uplinks"].push_back({{"domain", domain}, {"bandwidth_gbps", gbps}});
  for (const auto& [pair, gbps] : fabric.slowLinks)
    faults["links"].push_back({{"a", pair.first}, {"b", pair.second}, {"bandwidth_gbps", gbps}});
  doc["faults"] = faults;
  return doc;
}

}  // namespace topoplan
