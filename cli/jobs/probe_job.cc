#include "cli/jobs/probe_job.h"

#include "cli/jobs/probe_passes.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/document.h"
#include "core/units.h"
#include "probes/contention.h"
#include "probes/gpu/copy_probe.h"
#include "probes/ib/rdma_probe.h"
#include "probes/inventory.h"
#include "probes/tcp/tcp_probe.h"
#include "report/documents/inventory_document.h"
#include "report/documents/path_overhead.h"
#include "report/documents/probe_structure.h"

namespace topoplan {
namespace {

// The first rank of each host runs `produce`; every rank learns every host's JSON (host ->
// value).
Result<nlohmann::ordered_json> gatherFromHosts(
    Comm& comm, const ProbeRun& run, const std::function<nlohmann::ordered_json()>& produce) {
  std::string mine;
  if (run.localRanks[static_cast<std::size_t>(comm.rank())] == 0) mine = produce().dump();
  auto lengths = comm.allgatherValues(std::vector<std::uint64_t>{mine.size()});
  if (!lengths) return lengths.error();
  const std::uint64_t longest = *std::max_element(lengths->begin(), lengths->end());
  std::vector<char> padded(mine.begin(), mine.end());
  padded.resize(longest);
  auto all = comm.allgatherValues(padded);
  if (!all) return all.error();
  nlohmann::ordered_json byHost = nlohmann::ordered_json::object();
  for (int r = 0; r < comm.size(); ++r) {
    const std::uint64_t length = (*lengths)[static_cast<std::size_t>(r)];
    if (length == 0) continue;
    const std::string text(all->data() + static_cast<std::size_t>(r) * longest, length);
    byHost[run.rankHosts[static_cast<std::size_t>(r)]] = nlohmann::ordered_json::parse(text);
  }
  return byHost;
}

// Every host's inventory; `gpuPairs` gets this host's GPU pair paths for the gpu probe.
Status gatherInventories(Comm& comm, ProbeRun& run, std::vector<GpuPairPath>& gpuPairs) {
  auto inventories = gatherFromHosts(comm, run, [&] {
    auto inventory = readInventory("");
    if (!inventory) return nlohmann::ordered_json{{"error", inventory.error().message()}};
    gpuPairs = inventory->gpuPairs;
    return inventoryJson(*inventory);
  });
  if (!inventories) return inventories.error();
  for (const auto& [host, value] : inventories->items()) {
    if (value.contains("error")) {
      run.inventoryErrors[host] = value["error"].get<std::string>();
      continue;
    }
    auto record = inventoryFromJson(value, "the inventory of " + host);
    if (!record) return record.error();
    run.inventories[host] = std::move(*record);
  }
  return okStatus();
}

// The gpu probe: every host's GPU copies, measured by its first rank; hosts without a CUDA
// device are waived with the reason.
Status measureGpuCopies(Comm& comm, ProbeRun& run, const std::vector<GpuPairPath>& gpuPairs) {
  auto byHost = gatherFromHosts(comm, run, [&]() -> nlohmann::ordered_json {
    auto result = runGpuCopyProbe(GpuCopyConfig{}, gpuPairs);
    if (!result) return {{"error", result.error().message()}};
    if (!result->absentReason.empty()) return {{"absent", result->absentReason}};
    nlohmann::ordered_json copies = nlohmann::ordered_json::array();
    for (const GpuCopyRecord& copy : result->copies) copies.push_back(gpuCopyJson(copy));
    return {{"copies", copies}};
  });
  if (!byHost) return byHost.error();
  for (const auto& [host, value] : byHost->items()) {
    if (value.contains("error")) {
      return Error("gpu probe on host " + host + ": " + value["error"].get<std::string>());
    }
    if (value.contains("absent")) {
      run.waived.emplace_back("gpu", value["absent"].get<std::string>() + " on host " + host);
      continue;
    }
    for (const nlohmann::ordered_json& item : value["copies"]) {
      auto copy = gpuCopyFromJson(item, "a GPU copy of " + host);
      if (!copy) return copy.error();
      copy->host = host;
      run.gpuCopies.push_back(std::move(*copy));
    }
  }
  return okStatus();
}

// Measures each requested path in turn into `probed`; a path that fails leaves its partial
// result there.
Status measurePaths(const ProbePlan& plan, const ProbeOptions& options, Comm& comm, ProbeRun& run,
                    const std::vector<GpuPairPath>& gpuPairs, std::vector<ProbedPath>& probed) {
  const bool root = comm.rank() == 0;
  if (plan.declared && root) {
    std::string unknown;
    for (const std::string& host : uniqueHosts(run.rankHosts)) {
      if (!plan.declared->hostDomains.count(host)) unknown += (unknown.empty() ? "" : ", ") + host;
    }
    if (!unknown.empty()) {
      std::fprintf(stderr,
                   "topoplan probe: hosts not in %s, compared as sharing no level with any "
                   "other: %s\n",
                   plan.declared->source.c_str(), unknown.c_str());
    }
  }
  std::vector<std::byte> buffer(plan.config.sizes.back());
  // The first pass is planned once, over the first path measured (a discovery pass runs there).
  std::optional<std::vector<Round>> firstPass;
  std::optional<FabricStructure> discovered;
  LinkProbeSetup setup;
  auto plannedOver = [&](const ChannelOpener& open, const ProbeProgress& progress,
                         const std::string& label) -> Status {
    if (!firstPass) {
      auto rounds =
          planFirstPass(plan, options, commRounds(comm, open, progress), run, discovered, root);
      if (!rounds) return rounds.error();
      firstPass = std::move(*rounds);
    }
    setup = probeSetup(plan, options, label, *firstPass, discovered, run);
    return okStatus();
  };
  for (const std::string& path : plan.paths) {
    auto progress = [&, label = path](const std::string& phase, int done, int total) {
      if (!root) return;
      std::fprintf(stderr, "\rtopoplan probe %s: %s %d/%d", label.c_str(), phase.c_str(), done,
                   total);
      if (done == total) std::fputc('\n', stderr);
    };
    // The settings the path's transport opens with (its buffers follow the sizes).
    ProbeConfig opening = plan.config;
    opening.label = path + " probe";
    if (path == "mpi") {
      const ChannelOpener channels = commChannels(comm, buffer);
      TOPOPLAN_TRY(plannedOver(channels, progress, "mpi probe"));
      probed.push_back({"mpi", "", "net", "shm", {}});
      TOPOPLAN_TRY(runLinkProbe(comm, setup, channels, probed.back().result, progress));
      if (probed.size() == 1) {
        // What a ring collective meets: each host sending and receiving at once, and one flow
        // each way across each uplink (cheap: a round per finest domain and per pair of
        // siblings). Many flows on one uplink only with --contention.
        std::set<std::string> suspects;
        for (const SuspectHost& s : probed.back().result.suspectHosts) suspects.insert(s.host);
        std::map<std::pair<std::string, std::string>, double> pairGbps;
        for (const PairMeasurement& pair : hostPairs(probed.back().result, run.rankHosts))
          pairGbps[{pair.a, pair.b}] = pair.gbps;
        auto rings = runRingRounds(comm, run.rankHosts,
                                   duplexGroups(run.rankHosts, run.structure, suspects, pairGbps),
                                   setup.config);
        if (!rings) return rings.error();
        run.rings = std::move(*rings);
        run.aggregatesPath = "mpi";
      }
      if (options.contention && probed.size() == 1) {
        comm.setActivity("mpi probe: contention rounds");
        auto aggregates = runContention(comm, contentionRounds(run.rankHosts, run.structure),
                                        commChannels(comm, buffer), setup.config);
        if (!aggregates) return aggregates.error();
        run.aggregates = std::move(*aggregates);
      }
    } else if (path == "tcp") {
      const std::vector<std::string> ifaces =
          plan.tcpIfaces.empty() ? std::vector<std::string>{""} : plan.tcpIfaces;
      for (const std::string& name : ifaces) {
        // Every rank chooses its interface by the same rule; the document names rank 0's.
        auto iface = chooseInterface(name);
        if (!iface) return iface.error();
        comm.setActivity("tcp probe: opening listeners on " + iface->name);
        auto tcp = TcpProbe::open(comm, *iface, opening, plan.timeoutSeconds);
        if (!tcp) return tcp.error().context("tcp probe over " + iface->name);
        TOPOPLAN_TRY(plannedOver((*tcp)->channels(), progress, "tcp probe over " + iface->name));
        probed.push_back({"tcp", iface->name, pathKind(*iface), "loopback", {}});
        Status measured =
            runLinkProbe(comm, setup, (*tcp)->channels(), probed.back().result, progress);
        if (!measured) return measured.error().context("tcp probe over " + iface->name);
      }
    } else if (path == "gpu") {
      comm.setActivity("gpu probe: every host's GPU copies");
      TOPOPLAN_TRY(measureGpuCopies(comm, run, gpuPairs));
    } else if (path == "ib") {
      std::string waived;
      comm.setActivity("ib probe: opening an RDMA port");
      auto rdma = RdmaProbe::open(comm, opening, plan.timeoutSeconds, waived);
      if (!rdma) return rdma.error();
      if (!*rdma) {
        run.waived.emplace_back(path, waived);
        continue;
      }
      TOPOPLAN_TRY(plannedOver((*rdma)->channels(), progress, "ib probe"));
      probed.push_back({"ib", (*rdma)->port(), (*rdma)->networkPath(), "hca-loopback", {}});
      Status measured =
          runLinkProbe(comm, setup, (*rdma)->channels(), probed.back().result, progress);
      if (!measured) return measured.error().context("ib probe over " + (*rdma)->port());
    }
  }
  return okStatus();
}

std::string gpuCopiesTable(const std::vector<GpuCopyRecord>& copies) {
  if (copies.empty()) return "";
  char line[256];
  std::snprintf(line, sizeof line, "# %-12s %-5s %-6s %-6s %-14s %10s %10s %7s\n", "host", "copy",
                "src", "dst", "path", "bw (GB/s)", "peak", "% peak");
  std::string out = line;
  auto device = [](int index) {
    return index < 0 ? std::string("host") : "cuda" + std::to_string(index);
  };
  for (const GpuCopyRecord& copy : copies) {
    char peak[32] = "-", percent[32] = "-";
    if (copy.expectedPeakGbps > 0) {
      std::snprintf(peak, sizeof peak, "%.1f", copy.expectedPeakGbps);
      std::snprintf(percent, sizeof percent, "%.1f", copy.peakPercent());
    }
    std::snprintf(line, sizeof line, "  %-12s %-5s %-6s %-6s %-14s %10.2f %10s %7s\n",
                  copy.host.c_str(), copy.kind.c_str(), device(copy.src).c_str(),
                  device(copy.dst).c_str(), copy.path.c_str(), copy.bwGbps.median, peak, percent);
    out += line;
  }
  return out;
}

// The links table (up to kTableLinks links; a summary beyond), from the records.
std::string linksTable(const ProbeRun& run, const std::vector<ProbedPath>& paths) {
  constexpr std::size_t kTableLinks = 400;
  std::size_t total = 0;
  for (const ProbedPath& path : paths) total += path.result.links.size();
  char line[512];
  std::string out;
  if (total > kTableLinks) {
    std::snprintf(line, sizeof line,
                  "# (%zu links: the table is left out above %zu; they are in the document)\n",
                  total, kTableLinks);
  } else {
    std::snprintf(line, sizeof line, "# %-10s %-10s %-5s %-14s %12s %10s\n", "rank a", "rank b",
                  "probe", "path", "bw (GB/s)", "lat (us)");
  }
  out += line;
  for (const ProbedPath& path : paths) {
    for (const LinkMeasurement& link : path.result.links) {
      const auto& figures = link.primary();
      if (total > kTableLinks || figures.empty()) continue;
      const std::string& hostA = run.rankHosts[static_cast<std::size_t>(link.a)];
      const std::string& hostB = run.rankHosts[static_cast<std::size_t>(link.b)];
      const std::string a = std::to_string(link.a) + "@" + hostA;
      const std::string b = std::to_string(link.b) + "@" + hostB;
      std::string notes = link.alone.empty() ? "" : "  (alone)";
      if (!link.skippedSizes.empty()) notes += "  (from " + formatSize(figures.back().bytes) + ")";
      std::snprintf(line, sizeof line, "  %-10s %-10s %-5s %-14s %12.4f %10.2f%s\n", a.c_str(),
                    b.c_str(), path.probe.c_str(),
                    (hostA == hostB ? path.localPath : path.networkPath).c_str(),
                    figures.back().bwGbps.median, figures.front().latUs.median, notes.c_str());
      out += line;
    }
  }
  for (const ProbedPath& path : paths) {
    for (const SuspectHost& host : path.result.suspectHosts) {
      out += "# slow host " + host.host + " (" + pathName(path.probe, path.iface) +
             "): " + host.reason + "\n";
    }
  }
  for (const auto& [probe, reason] : run.waived)
    out += "# " + probe + ": WAIVED (" + reason + ")\n";
  return out;
}

}  // namespace

Status runProbeJob(Comm& comm, const ProbePlan& plan, const ProbeOptions& options, ProbeRun& run,
                   std::vector<ProbedPath>& probed) {
  std::vector<GpuPairPath> gpuPairs;
  comm.setActivity("probe: gathering every host's inventory");
  TOPOPLAN_TRY(gatherInventories(comm, run, gpuPairs));
  return measurePaths(plan, options, comm, run, gpuPairs, probed);
}

std::string probeTable(const ProbeRun& run, const std::vector<ProbedPath>& probed) {
  return linksTable(run, probed) + gpuCopiesTable(run.gpuCopies);
}

nlohmann::ordered_json probeConfigJson(const ProbePlan& plan, const ProbeOptions& options) {
  return {{"sizes", plan.config.sizes},
          {"iters", plan.config.iters},
          {"min_iters", plan.config.minIters},
          {"size_budget_s", plan.config.sizeBudgetSeconds},
          {"window", plan.config.window},
          {"pairs", options.pairs},
          {"sample_k", options.sampleK},
          {"serial", options.serial},
          {"declared", options.declared.empty() ? nlohmann::ordered_json(nullptr)
                                                : nlohmann::ordered_json(options.declared)},
          {"timeout_s", plan.timeoutSeconds}};
}

}  // namespace topoplan
