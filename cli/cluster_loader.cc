#include "cli/cluster_loader.h"

#include <algorithm>
#include <charconv>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/check.h"
#include "core/data_type.h"
#include "core/json_fields.h"
#include "placement/hierarchy_csv.h"
#include "placement/ibnetdiscover.h"
#include "placement/inference.h"
#include "placement/slurm_topology.h"
#include "placement/synthetic.h"
#include "report/cluster_document.h"

namespace topoplan {
namespace {

constexpr std::uintmax_t kMaxInputBytes = 256ULL << 20;

Result<double> parseGbps(std::string_view text, const std::string& what) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value > 0) || value > 1e6) {
    return Error(what + ": '" + std::string(text) + "': expected a bandwidth in GB/s above 0");
  }
  return value;
}

Status applyDeclaredFigures(LoadedCluster& cluster, const ClusterOptions& options) {
  const Topology& topology = *cluster.topology;
  if (!options.hostGbps.empty()) {
    auto gbps = parseGbps(options.hostGbps, "--host-gbps");
    if (!gbps) return gbps.error();
    for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
      cluster.cost->setHostGbps(static_cast<int>(h), *gbps, "declared");
    }
  }
  for (std::string_view item : splitList(options.levelGbps)) {
    const std::size_t equals = item.find('=');
    const std::string level(item.substr(0, equals));
    const auto& names = topology.levelNames();
    const auto it = std::find(names.begin(), names.end(), level);
    if (equals == std::string_view::npos || it == names.end()) {
      std::string known;
      for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
      return Error("--level-gbps '" + std::string(item) +
                   "': expected LEVEL=GBPS with LEVEL one of " +
                   (known.empty() ? "(none)" : known));
    }
    auto gbps = parseGbps(item.substr(equals + 1), "--level-gbps " + level);
    if (!gbps) return gbps.error();
    for (int domain : topology.domainsAt(static_cast<int>(it - names.begin()))) {
      cluster.cost->setUplinkGbps(domain, *gbps, "declared");
    }
  }
  return okStatus();
}

// Whether a JSON text names `schema` in its first "schema" key within the first 64 KB (where
// every topoplan document has it): then a large probe document is streamed instead of parsed
// whole. A document with its schema elsewhere is parsed whole, with the same result.
bool declaresSchema(const std::string& text, const std::string& schema) {
  const std::string head = text.substr(0, 65536);
  const std::size_t key = head.find("\"schema\"");
  if (key == std::string::npos) return false;
  const std::size_t value = head.find_first_not_of(" \t\r\n:", key + 8);
  return value != std::string::npos &&
         head.compare(value, schema.size() + 2, "\"" + schema + "\"") == 0;
}

// Infers the structure of a probe document's measurements.
Status inferMeasured(const std::string& spec, const ClusterOptions& options,
                     ClusterMeasurements measurements, LoadedCluster& cluster,
                     Result<Topology>& topology, std::vector<PairMeasurement>& measured) {
  InferenceOptions inference;
  inference.gpusPerHost = options.gpusPerHost;
  auto inferred = inferCluster(measurements.hosts, measurements.pairs, inference, spec);
  if (!inferred) return inferred.error();
  measured = std::move(measurements.pairs);
  cluster.findings.origin = "measured";
  cluster.findings.degradedHosts = inferred->degradedHosts;
  cluster.findings.degradedLinks = inferred->degradedLinks;
  cluster.findings.degradedLinkHosts = inferred->degradedLinkHosts;
  cluster.findings.unplacedHosts = inferred->unplacedHosts;
  cluster.findings.degradedUplinks = inferred->degradedUplinks;
  cluster.findings.disagreements = inferred->disagreements;
  cluster.findings.levels = inferred->levels;
  topology = std::move(inferred->topology);
  return okStatus();
}

}  // namespace

Result<LoadedCluster> loadCluster(const std::string& spec, const ClusterOptions& options) {
  LoadedCluster cluster;
  cluster.source = spec;
  cluster.findings.source = spec;
  cluster.findings.origin = "declared";
  std::vector<PairMeasurement> measured;
  Result<Topology> topology = Error("no input");
  if (spec.rfind("synthetic:", 0) == 0) {
    if (options.inputFormat != "auto") {
      return Error("--input-format " + options.inputFormat + ": " + spec +
                   " is a synthetic cluster, not a file: expected no --input-format (or auto)");
    }
    cluster.format = "synthetic";
    topology = syntheticTopology(spec.substr(10));
  } else {
    std::error_code ec;
    const auto size = std::filesystem::file_size(spec, ec);
    if (!ec && size > kMaxInputBytes) {
      return Error(spec + ": " + std::to_string(size) + " bytes, expected at most " +
                   std::to_string(kMaxInputBytes));
    }
    auto text = readFile(spec);
    if (!text) return text.error();
    std::string format = options.inputFormat;
    if (format == "auto") {
      const std::size_t first = text->find_first_not_of(" \t\r\n");
      if (first != std::string::npos && (*text)[first] == '{')
        format = "json";
      else if (looksLikeSlurmTopology(*text))
        format = "slurm";
      else if (looksLikeIbnetdiscover(*text))
        format = "ibnetdiscover";
      else if (looksLikeHierarchyCsv(*text))
        format = "csv";
      else {
        return Error(spec +
                     ": format not recognised: expected a probe or topology document "
                     "(JSON), a hierarchy CSV, a SLURM topology.conf or an ibnetdiscover "
                     "dump (or name it with --input-format)");
      }
    }
    cluster.format = format;
    if (format == "json" && declaresSchema(*text, "topoplan.cluster/v1")) {
      auto measurements = readClusterText(*text, spec);
      if (!measurements) return measurements.error();
      TOPOPLAN_TRY(
          inferMeasured(spec, options, std::move(*measurements), cluster, topology, measured));
    } else if (format == "json") {
      auto json = parseJson(*text, spec);
      if (!json) return json.error();
      std::string schema;
      TOPOPLAN_TRY(readField(*json, spec, "schema", schema));
      if (schema == "topoplan.cluster/v1") {
        auto measurements = readClusterMeasurements(*json, spec);
        if (!measurements) return measurements.error();
        TOPOPLAN_TRY(
            inferMeasured(spec, options, std::move(*measurements), cluster, topology, measured));
      } else if (schema == "topoplan.topology/v1") {
        std::vector<std::string> degraded;
        topology = readTopologyDocument(*json, spec, options.gpusPerHost, &degraded);
        for (const std::string& host : degraded)
          cluster.findings.degradedHosts.push_back({host, "from " + spec});
      } else {
        return Error(spec + ".schema: '" + schema +
                     "', expected 'topoplan.cluster/v1' or 'topoplan.topology/v1'");
      }
    } else if (format == "csv") {
      topology = parseHierarchyCsv(*text, spec, options.gpusPerHost);
    } else if (format == "slurm") {
      topology = parseSlurmTopology(*text, spec, options.gpusPerHost);
    } else {
      TOPOPLAN_CHECK(format == "ibnetdiscover", "--input-format admitted an unknown format");
      topology = parseIbnetdiscover(*text, spec, options.gpusPerHost);
    }
  }
  if (!topology) return topology.error();
  cluster.topology = std::make_unique<Topology>(std::move(*topology));
  cluster.cost = std::make_unique<CostModel>(*cluster.topology);
  if (!measured.empty()) {
    std::vector<std::string> degraded;
    for (const Finding& finding : cluster.findings.degradedHosts)
      degraded.push_back(finding.subject);
    applyMeasuredFigures(*cluster.topology, measured, degraded, cluster.findings.degradedLinkHosts,
                         *cluster.cost);
  }
  TOPOPLAN_TRY(applyDeclaredFigures(cluster, options));
  for (const Finding& finding : cluster.findings.degradedHosts) {
    const int host = cluster.topology->hostIndex(finding.subject);
    if (host >= 0) cluster.degradedHosts.insert(host);
  }
  return cluster;
}

void addClusterOptions(CLI::App* command, ClusterOptions& o) {
  command->add_option("--input-format", o.inputFormat, "auto, json, csv, slurm or ibnetdiscover")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "json", "csv", "slurm", "ibnetdiscover"}));
  command
      ->add_option("--gpus-per-host", o.gpusPerHost, "GPUs per host where the input does not say")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  command->add_option("--host-gbps", o.hostGbps, "declared host link bandwidth (GB/s)");
  command->add_option("--level-gbps", o.levelGbps,
                      "declared uplink bandwidth per level, e.g. ASW=50,PSW=25,DSW=12.5");
}

Result<int> levelIndex(const Topology& topology, const std::string& name, const char* option) {
  if (name.empty()) return -1;
  const auto& levels = topology.levelNames();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] == name) return static_cast<int>(i);
  }
  std::string known;
  for (const std::string& level : levels) known += (known.empty() ? "" : ", ") + level;
  return Error(std::string(option) + " '" + name +
               "': expected one of the cluster's levels: " + (known.empty() ? "(none)" : known));
}

}  // namespace topoplan
