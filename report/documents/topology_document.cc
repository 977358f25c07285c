#include "report/documents/topology_document.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/document.h"
#include "core/json_fields.h"
#include "placement/hostlist.h"

namespace topoplan {
namespace {

std::string dotId(const std::string& name) {
  std::string id = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') id += '\\';
    if (c != '\n' && c != '\r') id += c;
  }
  return id + "\"";
}

nlohmann::ordered_json figureJson(const Figure& f) {
  nlohmann::ordered_json item = {{"value", f.value}, {"source", f.source}};
  if (f.pairs > 0) {
    item["p10"] = f.p10;
    item["p90"] = f.p90;
    item["pairs"] = f.pairs;
  }
  return item;
}

nlohmann::ordered_json findingsJson(const std::vector<Finding>& findings) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const Finding& f : findings)
    list.push_back({{"subject", f.subject}, {"evidence", f.evidence}});
  return list;
}

std::string figureText(const Figure& f) {
  char text[96];
  if (f.pairs > 0) {
    std::snprintf(text, sizeof text, "%.3g GB/s [%.3g, %.3g] over %zu pairs", f.value, f.p10, f.p90,
                  f.pairs);
  } else {
    std::snprintf(text, sizeof text, "%.3g GB/s %s", f.value, f.source.c_str());
  }
  return text;
}

void findingsText(std::string& text, const char* title, const std::vector<Finding>& findings,
                  bool always) {
  if (findings.empty() && !always) return;
  text += std::string(title) + (findings.empty() ? " none" : "") + "\n";
  for (const Finding& f : findings) text += "  " + f.subject + ": " + f.evidence + "\n";
}

}  // namespace

nlohmann::ordered_json topologyDocument(const Topology& topology, const TopologyFindings& findings,
                                        const std::vector<std::string>& argv,
                                        const CostModel* cost) {
  nlohmann::ordered_json doc = makeDocumentHeader("topology", 1, argv, topology.hostNames());
  doc["source"] = findings.source;
  doc["origin"] = findings.origin;
  doc["gpus"] = nlohmann::ordered_json::object();
  for (const Host& host : topology.hosts()) doc["gpus"][host.name] = host.gpus;
  doc["levels"] = nlohmann::ordered_json::array();
  for (int level = 0; level < topology.levelCount(); ++level) {
    nlohmann::ordered_json domains = nlohmann::ordered_json::array();
    for (int domain : topology.domainsAt(level)) {
      const Domain& d = topology.domains()[static_cast<std::size_t>(domain)];
      nlohmann::ordered_json item = {{"name", d.name}, {"hosts", topology.hostNames(d.hosts)}};
      if (cost) item["uplink_gbps"] = figureJson(cost->uplinkGbps(domain));
      if (cost && cost->aggregateUplinkGbps(domain).value > 0)
        item["aggregate_uplink_gbps"] = figureJson(cost->aggregateUplinkGbps(domain));
      if (cost && cost->ringGbps(domain).value > 0)
        item["ring_host_gbps"] = figureJson(cost->ringGbps(domain));
      domains.push_back(std::move(item));
    }
    nlohmann::ordered_json entry = {
        {"name", topology.levelNames()[static_cast<std::size_t>(level)]}, {"domains", domains}};
    if (static_cast<std::size_t>(level) < findings.levels.size()) {
      const LevelEvidence& e = findings.levels[static_cast<std::size_t>(level)];
      entry["evidence"] = {{"signals", e.signals},
                           {"bandwidth_threshold_gbps", e.bandwidthThreshold},
                           {"latency_threshold_us", e.latencyThreshold}};
    }
    doc["levels"].push_back(std::move(entry));
  }
  if (cost) {
    doc["host_links_gbps"] = nlohmann::ordered_json::object();
    for (std::size_t h = 0; h < topology.hosts().size(); ++h)
      doc["host_links_gbps"][topology.hosts()[h].name] =
          figureJson(cost->hostGbps(static_cast<int>(h)));
    nlohmann::ordered_json latency = nlohmann::ordered_json::array();
    for (int shared = 0; shared <= topology.levelCount(); ++shared)
      latency.push_back(cost->latencyUs(shared));
    doc["latency_us_by_shared_levels"] = {{"values", latency}, {"source", cost->latencySource()}};
  }
  nlohmann::ordered_json hosts = nlohmann::ordered_json::array(),
                         links = nlohmann::ordered_json::array();
  for (const Finding& f : findings.degradedHosts)
    hosts.push_back({{"host", f.subject}, {"evidence", f.evidence}});
  for (std::size_t i = 0; i < findings.degradedLinks.size(); ++i) {
    links.push_back({{"a", findings.degradedLinkHosts[i].first},
                     {"b", findings.degradedLinkHosts[i].second},
                     {"evidence", findings.degradedLinks[i].evidence}});
  }
  doc["degraded"] = {
      {"hosts", hosts}, {"links", links}, {"uplinks", findingsJson(findings.degradedUplinks)}};
  doc["unplaced_hosts"] = findingsJson(findings.unplacedHosts);
  doc["disagreements"] = findingsJson(findings.disagreements);
  doc["declared_findings"] = findingsJson(findings.declared);
  return doc;
}

Result<Topology> readTopologyDocument(const nlohmann::ordered_json& document,
                                      const std::string& source, int gpusPerHost,
                                      std::vector<std::string>* degradedHosts) {
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != "topoplan.topology/v1") {
    return Error(source + ".schema: '" + schema + "', expected 'topoplan.topology/v1'");
  }
  auto levels = arrayField(document, source, "levels");
  if (!levels) return levels.error();
  std::vector<std::string> levelNames;
  std::map<std::string, std::vector<std::string>> labels;  // host -> label per level
  std::vector<std::string> order;
  for (std::size_t l = 0; l < (*levels)->size(); ++l) {
    const auto& level = (**levels)[l];
    const std::string where = source + ".levels[" + std::to_string(l) + "]";
    std::string name;
    TOPOPLAN_TRY(readField(level, where, "name", name));
    levelNames.push_back(name);
    auto domains = arrayField(level, where, "domains");
    if (!domains) return domains.error();
    for (std::size_t d = 0; d < (*domains)->size(); ++d) {
      const std::string at = where + ".domains[" + std::to_string(d) + "]";
      std::string domain;
      TOPOPLAN_TRY(readField((**domains)[d], at, "name", domain));
      auto hosts = arrayField((**domains)[d], at, "hosts");
      if (!hosts) return hosts.error();
      for (const auto& host : **hosts) {
        if (!host.is_string())
          return Error(at + ".hosts: " + host.dump() + ", expected host names");
        auto& path = labels[host.get<std::string>()];
        if (l == 0) order.push_back(host.get<std::string>());
        if (path.size() != l) {
          return Error(
              at + ": host '" + host.get<std::string>() + "' appears " +
              (path.size() > l ? "twice in this level" : "without a domain in an earlier level") +
              ", expected exactly one domain per level");
        }
        path.push_back(domain.substr(domain.rfind('/') + 1));
      }
    }
  }
  std::vector<HostPath> rows;
  const auto gpus = document.find("gpus");
  for (const std::string& host : order) {
    HostPath row{host, labels[host], gpusPerHost, 0};
    if (gpus != document.end() && gpus->is_object() && gpus->contains(host)) {
      std::uint64_t count = 0;
      TOPOPLAN_TRY(readField(*gpus, source + ".gpus", host.c_str(), count));
      row.gpus = static_cast<int>(std::min<std::uint64_t>(count, 1 << 20));
    }
    rows.push_back(std::move(row));
  }
  if (degradedHosts && document.contains("degraded")) {
    auto degraded = objectField(document, source, "degraded");
    if (!degraded) return degraded.error();
    auto hosts = arrayField(**degraded, source + ".degraded", "hosts");
    if (!hosts) return hosts.error();
    for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
      std::string host;
      TOPOPLAN_TRY(readField((**hosts)[i], source + ".degraded.hosts[" + std::to_string(i) + "]",
                             "host", host));
      degradedHosts->push_back(host);
    }
  }
  return Topology::fromPaths(levelNames, rows, source);
}

std::string topologyText(const Topology& topology, const TopologyFindings& findings,
                         const CostModel* cost) {
  std::string text = "# topology of " + findings.source + " (" + findings.origin +
                     "): " + std::to_string(topology.hosts().size()) + " hosts, " +
                     std::to_string(topology.gpuCount()) + " GPUs, " +
                     std::to_string(topology.levelCount()) + " level(s)\n";
  if (topology.hosts().size() == 1)
    text += "one host (the ranks of a single server): no levels between hosts to find\n";
  const bool measured = findings.origin != "declared";
  for (int level = 0; level < topology.levelCount(); ++level) {
    std::vector<int> domains;
    for (int domain : topology.domainsAt(level)) {
      if (topology.domains()[static_cast<std::size_t>(domain)].label.rfind("unplaced-", 0) != 0)
        domains.push_back(domain);
    }
    text += "level " + topology.levelNames()[static_cast<std::size_t>(level)] + ": " +
            std::to_string(domains.size()) + " domain(s)";
    if (static_cast<std::size_t>(level) < findings.levels.size()) {
      const LevelEvidence& e = findings.levels[static_cast<std::size_t>(level)];
      char evidence[160];
      std::snprintf(evidence, sizeof evidence, ", from %s", e.signals.c_str());
      text += evidence;
      if (e.bandwidthThreshold > 0) {
        std::snprintf(evidence, sizeof evidence, " (pairs inside >= %.3g GB/s",
                      e.bandwidthThreshold);
        text += evidence;
        text += e.latencyThreshold > 0 ? "," : ")";
      }
      if (e.latencyThreshold > 0) {
        std::snprintf(evidence, sizeof evidence, "%s<= %.3g us)",
                      e.bandwidthThreshold > 0 ? " " : " (pairs inside ", e.latencyThreshold);
        text += evidence;
      }
    }
    text += "\n";
    std::size_t shown = 0;
    for (int domain : domains) {
      const Domain& d = topology.domains()[static_cast<std::size_t>(domain)];
      if (++shown > 12) {
        text += "  ... " + std::to_string(domains.size() - 12) + " more\n";
        break;
      }
      text += "  " + d.name + ": " + std::to_string(d.hosts.size()) + " hosts " + [&] {
        std::string list = compressHostlist(topology.hostNames(d.hosts));
        return list.size() <= 100 ? list : list.substr(0, 100) + "...";
      }();
      if (cost && measured && cost->uplinkGbps(domain).pairs > 0)
        text += ", uplink " + figureText(cost->uplinkGbps(domain));
      if (cost && cost->ringGbps(domain).value > 0) {
        char ring[96];
        std::snprintf(ring, sizeof ring, "; in a ring %.3g GB/s a host",
                      cost->ringGbps(domain).value);
        text += ring;
      }
      if (cost && cost->aggregateUplinkGbps(domain).value > 0) {
        const Figure& a = cost->aggregateUplinkGbps(domain);
        double links = 0;
        for (int host : d.hosts) links += cost->hostGbps(host).value;
        links *= static_cast<double>(a.pairs) / static_cast<double>(d.hosts.size());
        char aggregate[160];
        std::snprintf(aggregate, sizeof aggregate,
                      "; with %zu flows out at once %.3g GB/s in all (their hosts' links: %.3g, "
                      "so %.2g:1)",
                      a.pairs, a.value, links, links / a.value);
        text += aggregate;
      }
      text += "\n";
    }
  }
  if (cost && measured && cost->latencySource() == "measured") {
    text += "latency by levels shared:";
    for (int shared = 0; shared <= topology.levelCount(); ++shared) {
      char value[48];
      std::snprintf(value, sizeof value, " %d: %.3g us", shared, cost->latencyUs(shared));
      text += value;
    }
    text += "\n";
  }
  findingsText(text, "degraded hosts:", findings.degradedHosts, true);
  findingsText(text, "placed nowhere:", findings.unplacedHosts, false);
  findingsText(text, "degraded links:", findings.degradedLinks, true);
  findingsText(text, "degraded uplinks:", findings.degradedUplinks, false);
  findingsText(text, "latency against bandwidth:", findings.disagreements, false);
  findingsText(text, "declared against measured:", findings.declared, false);
  return text + findings.pathOverhead;
}

std::string topologyDot(const Topology& topology, const TopologyFindings& findings) {
  std::set<std::string> degraded;
  for (const Finding& f : findings.degradedHosts) degraded.insert(f.subject);
  std::string dot = "graph topology {\n  node [shape=box];\n";
  for (const Domain& d : topology.domains()) {
    dot += "  " + dotId("d:" + d.name) + " [label=" + dotId(d.label) + "];\n";
    if (d.parent >= 0) {
      dot += "  " + dotId("d:" + topology.domains()[static_cast<std::size_t>(d.parent)].name) +
             " -- " + dotId("d:" + d.name) + ";\n";
    }
  }
  for (const Host& host : topology.hosts()) {
    dot += "  " + dotId("h:" + host.name) + " [label=" + dotId(host.name) + ", shape=ellipse" +
           (degraded.count(host.name) ? ", color=red" : "") + "];\n";
    if (!host.domains.empty()) {
      dot += "  " +
             dotId("d:" + topology.domains()[static_cast<std::size_t>(host.domains.back())].name) +
             " -- " + dotId("h:" + host.name) + ";\n";
    }
  }
  return dot + "}\n";
}

}  // namespace topoplan
