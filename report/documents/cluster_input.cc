#include "report/documents/cluster_input.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "core/atomic_file.h"
#include "core/check.h"
#include "core/data_type.h"
#include "core/json_fields.h"
#include "core/stats.h"
#include "placement/calibration.h"
#include "placement/declared_check.h"
#include "placement/hierarchy_csv.h"
#include "placement/ibnetdiscover.h"
#include "placement/inference.h"
#include "placement/slurm_topology.h"
#include "placement/synthetic.h"
#include "report/documents/cluster_document.h"
#include "report/documents/path_overhead.h"

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
Result<InferredCluster> inferMeasured(const std::string& spec, const ClusterOptions& options,
                                      ClusterMeasurements& measurements, LoadedCluster& cluster) {
  // The structure comes from the first path; the overhead is per class of that structure.
  std::vector<PairMeasurement> all = std::move(measurements.pairs);
  const std::string first = all.empty() ? "" : pathName(all.front().probe, all.front().iface);
  std::vector<PairMeasurement> primary;
  for (const PairMeasurement& p : all) {
    if (pathName(p.probe, p.iface) == first) primary.push_back(p);
  }
  InferenceOptions inference;
  inference.gpusPerHost = options.gpusPerHost;
  auto inferred = inferCluster(measurements.hosts, primary, inference, spec);
  if (!inferred) return inferred.error();
  const Topology& topology = inferred->topology;
  cluster.findings.pathOverhead =
      pathOverheadText(pathOverheads(all, [&](const std::string& a, const std::string& b) {
        const int x = topology.hostIndex(a), y = topology.hostIndex(b);
        return x < 0 || y < 0 ? 0 : topology.sharedLevels(x, y);
      }));
  cluster.measured = std::move(primary);
  cluster.aggregates = measurements.aggregates;
  cluster.rings = measurements.rings;
  cluster.hostViews = std::move(measurements.views);
  cluster.findings.origin = "measured";
  cluster.findings.degradedHosts = inferred->degradedHosts;
  cluster.findings.degradedLinks = inferred->degradedLinks;
  cluster.findings.degradedLinkHosts = inferred->degradedLinkHosts;
  cluster.findings.unplacedHosts = inferred->unplacedHosts;
  cluster.findings.degradedUplinks = inferred->degradedUplinks;
  cluster.findings.disagreements = inferred->disagreements;
  cluster.findings.levels = inferred->levels;
  return std::move(*inferred);
}

// The file's topology (declared formats, or inferred from a probe document).
Result<Topology> readInput(const std::string& spec, const ClusterOptions& options,
                           LoadedCluster& cluster) {
  if (spec.rfind("synthetic:", 0) == 0) {
    if (options.inputFormat != "auto") {
      return Error("--input-format " + options.inputFormat + ": " + spec +
                   " is a synthetic cluster, not a file: expected no --input-format (or auto)");
    }
    cluster.format = "synthetic";
    return syntheticTopology(spec.substr(10));
  }
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
  if (format == "csv") return parseHierarchyCsv(*text, spec, options.gpusPerHost);
  if (format == "slurm") return parseSlurmTopology(*text, spec, options.gpusPerHost);
  if (format == "ibnetdiscover") return parseIbnetdiscover(*text, spec, options.gpusPerHost);
  TOPOPLAN_CHECK(format == "json", "--input-format admitted an unknown format");
  Result<ClusterMeasurements> measurements = Error("not a probe document");
  if (declaresSchema(*text, "topoplan.cluster/v1")) {
    measurements = readClusterText(*text, spec);
  } else {
    auto json = parseJson(*text, spec);
    if (!json) return json.error();
    std::string schema;
    TOPOPLAN_TRY(readField(*json, spec, "schema", schema));
    if (schema == "topoplan.topology/v1") {
      std::vector<std::string> degraded;
      auto topology = readTopologyDocument(*json, spec, options.gpusPerHost, &degraded);
      for (const std::string& host : degraded)
        cluster.findings.degradedHosts.push_back({host, "from " + spec});
      return topology;
    }
    if (schema != "topoplan.cluster/v1") {
      return Error(spec + ".schema: '" + schema +
                   "', expected 'topoplan.cluster/v1' or 'topoplan.topology/v1'");
    }
    measurements = readClusterMeasurements(*json, spec);
  }
  if (!measurements) return measurements.error();
  auto inferred = inferMeasured(spec, options, *measurements, cluster);
  if (!inferred) return inferred.error();
  return std::move(inferred->topology);
}

// The probe's duplex groups as the figures rings and trees run at: each host's rate in its
// finest domain's ring (and the ring's median on the domain it matches), and per uplink the
// median over the pairs across it of the slower direction (one flow each way); rings and pairs
// with a degraded or excluded host left out.
void applyDuplexFigures(LoadedCluster& cluster, const std::vector<std::string>& excluded) {
  const Topology& topology = *cluster.topology;
  std::set<std::string> unfit(excluded.begin(), excluded.end());
  for (const Finding& finding : cluster.findings.degradedHosts) unfit.insert(finding.subject);
  const int finest = topology.levelCount() - 1;
  std::map<int, std::vector<double>> uplinkSamples;
  for (const RingFigure& ring : cluster.rings) {
    if (ring.acrossUplink) {
      const int a = topology.hostIndex(ring.hosts[0]), b = topology.hostIndex(ring.hosts[1]);
      if (a < 0 || b < 0 || unfit.count(ring.hosts[0]) > 0 || unfit.count(ring.hosts[1]) > 0)
        continue;
      const double slower = *std::min_element(ring.rates.begin(), ring.rates.end());
      if (slower <= 0) continue;
      for (int level = topology.sharedLevels(a, b); level <= finest; ++level)
        for (int host : {a, b})
          uplinkSamples[topology.hosts()[static_cast<std::size_t>(host)]
                            .domains[static_cast<std::size_t>(level)]]
              .push_back(slower);
      continue;
    }
    // A ring runs at its slowest member: with a degraded or excluded host in it, its rates say
    // nothing of the others (as for the pairs across an uplink above).
    if (std::any_of(ring.hosts.begin(), ring.hosts.end(),
                    [&](const std::string& h) { return unfit.count(h) > 0; }))
      continue;
    for (std::size_t i = 0; i < ring.hosts.size(); ++i) {
      const int host = topology.hostIndex(ring.hosts[i]);
      const double rate = ring.rates.empty() ? ring.gbps : ring.rates[i];
      if (host >= 0 && rate > 0)
        cluster.cost->setHostDuplex(host, Figure{rate, "measured", rate, rate, 1});
    }
    // The ring's figure on its finest domain when it holds exactly that domain's hosts: the
    // domain of its first host, compared once.
    const int first = ring.hosts.empty() ? -1 : topology.hostIndex(ring.hosts[0]);
    if (finest < 0 || first < 0) continue;
    const int d =
        topology.hosts()[static_cast<std::size_t>(first)].domains[static_cast<std::size_t>(finest)];
    const auto names = topology.hostNames(topology.domains()[static_cast<std::size_t>(d)].hosts);
    if (std::set<std::string>(names.begin(), names.end()) ==
        std::set<std::string>(ring.hosts.begin(), ring.hosts.end()))
      cluster.cost->setRingGbps(
          d, Figure{ring.gbps, "measured", ring.p10, ring.p90, ring.hosts.size()});
  }
  for (auto& [domain, samples] : uplinkSamples) {
    const SampleStats stats = summarize(samples);
    cluster.cost->setUplinkDuplex(
        domain, Figure{stats.median, "measured", stats.p10, stats.p90, samples.size()});
  }
}

}  // namespace

Result<LoadedCluster> loadCluster(const std::string& spec, const ClusterOptions& options) {
  LoadedCluster cluster;
  cluster.source = spec;
  cluster.findings.source = spec;
  cluster.findings.origin = "declared";
  auto topology = readInput(spec, options, cluster);
  if (!topology) return topology.error();
  std::vector<std::string> excluded;  // from the healthy figures, besides the degraded hosts
  if (!options.declared.empty()) {
    // The declared topology with this document's measurements.
    if (cluster.measured.empty()) {
      return Error("--declared " + options.declared +
                   ": expected a probe document as the cluster (" + spec +
                   " holds no measurements)");
    }
    LoadedCluster declared;
    ClusterOptions plain = options;
    plain.declared.clear();
    plain.inputFormat = "auto";
    auto declaredTopology = readInput(options.declared, plain, declared);
    if (!declaredTopology) return declaredTopology.error().context("--declared");
    std::set<std::string> degraded;
    for (const Finding& f : cluster.findings.degradedHosts) degraded.insert(f.subject);
    const DeclaredCheck check =
        checkDeclared(*declaredTopology, topology->hostNames(), cluster.measured, degraded,
                      cluster.findings.degradedLinkHosts);
    cluster.findings.declared = check.findings;
    excluded = check.misCabledHosts;
    // The inferred levels and the findings that only concern them no longer apply.
    cluster.findings.levels.clear();
    cluster.findings.unplacedHosts.clear();
    cluster.findings.degradedUplinks.clear();
    cluster.findings.disagreements.clear();
    cluster.findings.origin = "declared " + options.declared + " + measured";
    topology = std::move(declaredTopology);
  }
  cluster.topology = std::make_unique<Topology>(std::move(*topology));
  cluster.cost = std::make_unique<CostModel>(*cluster.topology);
  if (!cluster.measured.empty()) {
    std::vector<std::string> degraded = excluded;
    for (const Finding& finding : cluster.findings.degradedHosts)
      degraded.push_back(finding.subject);
    applyMeasuredFigures(*cluster.topology, cluster.measured, degraded,
                         cluster.findings.degradedLinkHosts, *cluster.cost);
  }
  // Aggregates of the contention pattern, on the domains that hold the same hosts.
  for (const UplinkAggregate& aggregate : cluster.aggregates) {
    std::set<std::string> hosts(aggregate.hosts.begin(), aggregate.hosts.end());
    for (std::size_t d = 0; d < cluster.topology->domains().size(); ++d) {
      const auto names = cluster.topology->hostNames(cluster.topology->domains()[d].hosts);
      if (std::set<std::string>(names.begin(), names.end()) != hosts) continue;
      cluster.cost->setAggregateUplink(static_cast<int>(d),
                                       Figure{aggregate.gbps, "measured", aggregate.flowP10,
                                              aggregate.flowP90, aggregate.flows});
    }
  }
  applyDuplexFigures(cluster, excluded);
  TOPOPLAN_TRY(applyDeclaredFigures(cluster, options));
  for (const Finding& finding : cluster.findings.degradedHosts) {
    const int host = cluster.topology->hostIndex(finding.subject);
    if (host >= 0) cluster.degradedHosts.insert(host);
  }
  if (options.keptCalibration && !cluster.measured.empty()) {
    auto kept = readKeptCalibration(spec);
    if (!kept) return kept.error();
    cluster.calibration = std::move(*kept);
    if (cluster.calibration && !cluster.calibration->stale)
      cluster.calibrationFigures =
          calibrate(*cluster.topology, *cluster.cost, cluster.calibration->samples);
  }
  return cluster;
}

std::string calibrationNote(const LoadedCluster& cluster) {
  if (!cluster.calibration) return "";
  const KeptCalibration& kept = *cluster.calibration;
  if (kept.stale)
    return "# calibration kept in " + kept.file + " ignored: " + cluster.source +
           " changed since it was kept (probed again?)\n";
  std::string verify;
  for (const std::string& file : kept.verify) verify += (verify.empty() ? "" : ", ") + file;
  std::string text;
  for (const std::string& line : cluster.calibrationFigures)
    text += "# calibrated (kept in " + kept.file + " on " + kept.createdUtc + ", from " + verify +
            "): " + line + "\n";
  return text;
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
