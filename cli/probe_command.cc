#include "cli/probe_command.h"

#include <chrono>
#include <cstdio>

#include "cli/cluster_loader.h"
#include "cli/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/data_type.h"
#include "core/document.h"
#include "core/memory.h"
#include "core/units.h"
#include "probes/contention.h"
#include "probes/gpu/copy_probe.h"
#include "probes/ib/rdma_probe.h"
#include "probes/inventory.h"
#include "probes/sampled_pairs.h"
#include "probes/tcp/tcp_probe.h"
#include "probes/transport/mpi_comm.h"
#include "report/cluster_document.h"
#include "report/inventory_document.h"
#include "report/path_overhead.h"
#include "report/probe_structure.h"

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
  run.inventories = std::move(*inventories);
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
    for (nlohmann::ordered_json copy : value["copies"]) {
      copy["host"] = host;
      run.gpuCopies.push_back(std::move(copy));
    }
  }
  return okStatus();
}

}  // namespace

CLI::App* addProbeCommand(CLI::App& app, ProbeOptions& o) {
  CLI::App* command = app.add_subcommand(
      "probe",
      "Pairwise link probe under mpirun: every rank pair in rounds of disjoint pairs (or a "
      "sampled set, for large clusters), each pair timed within a budget, then the suspects "
      "again.\nSuspects: " +
          describe(SuspectRule{}) + ".");
  command->add_option("--paths", o.paths, "mpi,tcp,gpu,ib")
      ->capture_default_str()
      ->check(CLI::IsMember({"mpi", "tcp", "gpu", "ib"}).description(""))
      ->delimiter(',');
  command
      ->add_option("--tcp-iface", o.tcpIfaces,
                   "interface(s) of the tcp probe, one tcp path each, e.g. eth0,vx0 (default: "
                   "the default route's)")
      ->delimiter(',');
  command
      ->add_option("--timeout", o.timeout,
                   "seconds any one wait may last before the job ends (exit 3). Default: 30 + 2 "
                   "x the longest a pair may take (sizes x 4 x --size-budget)")
      ->check(finiteIn(0.1, 86400.0));
  command->add_option("--sizes", o.sizes, "message sizes")->capture_default_str();
  command->add_option("--iters", o.iters, "samples per size and series, at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command->add_option("--min-iters", o.minIters, "samples per size and series, at least")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command
      ->add_option("--size-budget", o.sizeBudget,
                   "seconds per pair and size (half latency, half bandwidth): samples stop at "
                   "--iters or when the budget is spent, after --min-iters; a size whose "
                   "minimum samples would take over 4 x the budget is skipped, with the larger "
                   "ones")
      ->capture_default_str()
      ->check(finiteIn(0.001, 3600.0));
  command->add_option("--window", o.window, "messages in flight per bandwidth sample, at most")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_flag("--serial", o.serial, "measure every pair alone (no rounds, no retests)");
  command->add_option("--bw-suspect", o.bwSuspect, "low: bandwidth below this x its class median")
      ->capture_default_str()
      ->check(finiteIn(0.0, 1.0));
  command->add_option("--lat-suspect", o.latSuspect, "low: latency above this x its class median")
      ->capture_default_str()
      ->check(finiteIn(1.0, 1000.0));
  command
      ->add_option("--pairs", o.pairs,
                   "all (every rank pair), sampled (needs --declared: every pair inside each "
                   "finest domain, --sample-k pairs leaving each domain), or auto (all up to " +
                       std::to_string(kAllPairsUpToHosts) +
                       " hosts, sampled beyond with --declared)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "all", "sampled"}));
  command->add_option("--declared", o.declared,
                      "the declared topology (any cluster format topo reads): suspects are "
                      "judged within its classes, and sampled pairs follow its domains");
  command->add_option("--sample-k", o.sampleK, "pairs leaving each domain in sampled mode")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  command->add_flag("--keep-sweeps", o.keepSweeps,
                    "keep every link's per-size figures (sizes[], sweep[]); without it a link "
                    "keeps its largest size's bandwidth, its smallest size's latency and the "
                    "alpha-beta fit of its sweep");
  command->add_flag("--contention", o.contention,
                    "after the first path's pairs, load each domain's uplink with all its hosts "
                    "at once (one round per domain) and record its aggregate: a non-blocking "
                    "fabric carries as many flows as its hosts' links, an oversubscribed one a "
                    "fraction (domain_uplinks[])");
  command->add_option("--out", o.out, "the topoplan.cluster/v1 document to write")->required();
  return command;
}

Result<ProbePlan> planProbe(const ProbeOptions& o) {
  ProbePlan plan;
  for (const std::string& path : o.paths) {
    if (std::find(plan.paths.begin(), plan.paths.end(), path) == plan.paths.end())
      plan.paths.push_back(path);
  }
  if (plan.paths.empty()) return Error("--paths: expected at least one of mpi, tcp, gpu, ib");
  for (const std::string& iface : o.tcpIfaces) {
    if (iface.empty()) return Error("--tcp-iface: expected interface names, not an empty one");
    plan.tcpIfaces.push_back(iface);
  }
  plan.config.sizes.clear();
  for (std::string_view size : splitList(o.sizes)) {
    auto bytes = parseSize(size, "--sizes");
    if (!bytes) return bytes.error();
    if (*bytes == 0 || *bytes > (1ULL << 30))
      return Error("--sizes: expected sizes from 1 byte to 1G");
    plan.config.sizes.push_back(*bytes);
  }
  if (plan.config.sizes.empty()) return Error("--sizes: expected at least one size");
  std::sort(plan.config.sizes.begin(), plan.config.sizes.end());
  plan.config.sizes.erase(std::unique(plan.config.sizes.begin(), plan.config.sizes.end()),
                          plan.config.sizes.end());
  TOPOPLAN_TRY(
      checkFitsInMemory(plan.config.sizes.back(), "--sizes: the buffer of the largest size"));
  if (o.minIters > o.iters) {
    return Error("--min-iters " + std::to_string(o.minIters) + ": expected at most --iters (" +
                 std::to_string(o.iters) + ")");
  }
  plan.config.iters = o.iters;
  plan.config.minIters = o.minIters;
  plan.config.sizeBudgetSeconds = o.sizeBudget;
  plan.config.window = o.window;
  plan.rule.bwRatio = o.bwSuspect;
  plan.rule.latRatio = o.latSuspect;
  if (!o.declared.empty()) {
    auto cluster = loadCluster(o.declared, ClusterOptions{});
    if (!cluster) return cluster.error().context("--declared");
    plan.declared = structureOf(*cluster->topology, "the declared topology " + o.declared);
  }
  if (o.pairs == "sampled" && !plan.declared) {
    return Error("--pairs sampled: expected --declared FILE (the domains the samples follow)");
  }
  // A wait lasts at most as long as the slowest pair of a round.
  plan.timeoutSeconds = o.timeout > 0 ? o.timeout : 30 + 2 * plan.config.pairSecondsAtMost();
  TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  return plan;
}

namespace {

// The first pass: every pair, or the sampled pairs of a large declared cluster.
std::vector<Round> firstPass(const ProbePlan& plan, const ProbeOptions& options,
                             const ProbeRun& run, bool root) {
  const std::size_t hosts = uniqueHosts(run.rankHosts).size();
  const bool sampled =
      options.pairs == "sampled" || (options.pairs == "auto" && plan.declared &&
                                     hosts > static_cast<std::size_t>(kAllPairsUpToHosts));
  if (!sampled) return allPairRounds(static_cast<int>(run.rankHosts.size()), options.serial);
  const SampledPairs pairs = sampledRounds(run.rankHosts, *plan.declared, options.sampleK);
  if (root) {
    std::fprintf(stderr, "topoplan probe: sampled mode: %zu of %zu pairs in %zu rounds (K = %d)\n",
                 pairs.pairs, pairs.allPairs, pairs.rounds.size(), options.sampleK);
  }
  return pairs.rounds;
}

// Measures each requested path in turn into `probed`; a path that fails leaves its partial
// result there.
Status measurePaths(const ProbePlan& plan, const ProbeOptions& options, MpiJob& job, ProbeRun& run,
                    const std::vector<GpuPairPath>& gpuPairs, std::vector<ProbedPath>& probed) {
  MpiComm& comm = job.comm();
  const bool root = job.root();
  LinkProbeSetup setup;
  setup.firstPass = firstPass(plan, options, run, root);
  setup.retest = !options.serial;
  setup.rule = plan.rule;
  setup.rankHosts = run.rankHosts;
  setup.structure = [&](const ProbeResult& result) {
    run.structure = plan.declared ? *plan.declared : inferStructure(result, run.rankHosts);
    return run.structure;
  };
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
  for (const std::string& path : plan.paths) {
    auto progress = [&, label = path](const std::string& phase, int done, int total) {
      if (!root) return;
      std::fprintf(stderr, "\rtopoplan probe %s: %s %d/%d", label.c_str(), phase.c_str(), done,
                   total);
      if (done == total) std::fputc('\n', stderr);
    };
    setup.config = plan.config;
    setup.config.label = path + " probe";
    if (path == "mpi") {
      probed.push_back({"mpi", "", "net", "shm", {}});
      TOPOPLAN_TRY(
          runLinkProbe(comm, setup, commChannels(comm, buffer), probed.back().result, progress));
      if (options.contention && probed.size() == 1) {
        comm.setActivity("mpi probe: contention rounds");
        auto aggregates = runContention(comm, contentionRounds(run.rankHosts, run.structure),
                                        commChannels(comm, buffer), setup.config);
        if (!aggregates) return aggregates.error();
        run.aggregates = std::move(*aggregates);
        run.aggregatesPath = "mpi";
        auto rings = runRingRounds(comm, run.rankHosts, run.structure, setup.config);
        if (!rings) return rings.error();
        run.rings = std::move(*rings);
      }
    } else if (path == "tcp") {
      const std::vector<std::string> ifaces =
          plan.tcpIfaces.empty() ? std::vector<std::string>{""} : plan.tcpIfaces;
      for (const std::string& name : ifaces) {
        // Every rank chooses its interface by the same rule; the document names rank 0's.
        auto iface = chooseInterface(name);
        if (!iface) return iface.error();
        comm.setActivity("tcp probe: opening listeners on " + iface->name);
        auto tcp = TcpProbe::open(comm, *iface, setup.config, plan.timeoutSeconds);
        if (!tcp) return tcp.error().context("tcp probe over " + iface->name);
        probed.push_back({"tcp", iface->name, pathKind(*iface), "loopback", {}});
        setup.config.label = "tcp probe over " + iface->name;
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
      auto rdma = RdmaProbe::open(comm, setup.config, plan.timeoutSeconds, waived);
      if (!rdma) return rdma.error();
      if (!*rdma) {
        run.waived.emplace_back(path, waived);
        continue;
      }
      probed.push_back({"ib", (*rdma)->port(), (*rdma)->networkPath(), "hca-loopback", {}});
      Status measured =
          runLinkProbe(comm, setup, (*rdma)->channels(), probed.back().result, progress);
      if (!measured) return measured.error().context("ib probe over " + (*rdma)->port());
    }
  }
  return okStatus();
}

void printGpuCopies(const nlohmann::ordered_json& copies) {
  if (copies.empty()) return;
  std::printf("# %-12s %-5s %-6s %-6s %-14s %10s %10s %7s\n", "host", "copy", "src", "dst", "path",
              "bw (GB/s)", "peak", "% peak");
  auto device = [](const nlohmann::ordered_json& d) {
    return d.is_string() ? d.get<std::string>() : "cuda" + std::to_string(d.get<int>());
  };
  for (const auto& copy : copies) {
    char peak[32] = "-", percent[32] = "-";
    if (copy["expected_peak_gbps"].is_number()) {
      std::snprintf(peak, sizeof peak, "%.1f", copy["expected_peak_gbps"].get<double>());
      std::snprintf(percent, sizeof percent, "%.1f", copy["peak_percent"].get<double>());
    }
    std::printf("  %-12s %-5s %-6s %-6s %-14s %10.2f %10s %7s\n",
                copy["host"].get<std::string>().c_str(), copy["kind"].get<std::string>().c_str(),
                device(copy["src"]).c_str(), device(copy["dst"]).c_str(),
                copy["path"].get<std::string>().c_str(), copy["bw_gbps"]["median"].get<double>(),
                peak, percent);
  }
}

// The links table (up to kTableLinks links; a summary beyond), from the records.
void printLinks(const ProbeRun& run, const std::vector<ProbedPath>& paths) {
  constexpr std::size_t kTableLinks = 400;
  std::size_t total = 0;
  for (const ProbedPath& path : paths) total += path.result.links.size();
  if (total > kTableLinks) {
    std::printf("# (%zu links: the table is left out above %zu; they are in the document)\n", total,
                kTableLinks);
  } else {
    std::printf("# %-10s %-10s %-5s %-14s %12s %10s\n", "rank a", "rank b", "probe", "path",
                "bw (GB/s)", "lat (us)");
  }
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
      std::printf("  %-10s %-10s %-5s %-14s %12.4f %10.2f%s\n", a.c_str(), b.c_str(),
                  path.probe.c_str(), (hostA == hostB ? path.localPath : path.networkPath).c_str(),
                  figures.back().bwGbps.median, figures.front().latUs.median, notes.c_str());
    }
  }
  for (const ProbedPath& path : paths) {
    for (const SuspectHost& host : path.result.suspectHosts) {
      std::printf("# slow host %s (%s): %s\n", host.host.c_str(),
                  pathName(path.probe, path.iface).c_str(), host.reason.c_str());
    }
  }
  for (const auto& [probe, reason] : run.waived)
    std::printf("# %s: WAIVED (%s)\n", probe.c_str(), reason.c_str());
}

// The probe's settings, as the document records them.
nlohmann::ordered_json configJson(const ProbePlan& plan, const ProbeOptions& options) {
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

}  // namespace

Result<int> runProbe(const ProbePlan& plan, const ProbeOptions& options, MpiSession& session,
                     const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  auto job = MpiJob::start(session, plan.timeoutSeconds);
  if (!job) return job.error();
  MpiComm& comm = (*job)->comm();
  const bool root = (*job)->root();
  ProbeRun run;
  run.argv = argv;
  run.config = configJson(plan, options);
  run.keepSweeps = options.keepSweeps;
  run.rankHosts = (*job)->rankHosts();
  run.localRanks = (*job)->localRanks();
  std::vector<ProbedPath> probed;
  std::vector<GpuPairPath> gpuPairs;
  comm.setActivity("probe: gathering every host's inventory");
  Status measured = gatherInventories(comm, run, gpuPairs);
  if (measured) measured = measurePaths(plan, options, **job, run, gpuPairs, probed);
  if (!measured) run.interruption = (*job)->fail(measured.error());
  run.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!root) return measured ? Result<int>(0) : Result<int>(Error(run.interruption->reason));

  const std::string document = clusterDocumentText(run, probed);
  TOPOPLAN_TRY(writeFileAtomic(options.out, document));
  std::size_t links = 0, suspects = 0, measuredAgain = 0;
  int rounds = 0, retestRounds = 0;
  for (const ProbedPath& path : probed) {
    links += path.result.links.size();
    rounds += path.result.rounds;
    retestRounds += path.result.retestRounds;
    for (const LinkMeasurement& link : path.result.links) {
      suspects += !link.suspectReason.empty();
      measuredAgain += !link.alone.empty();
    }
  }
  if (!measured) {
    std::fprintf(stderr,
                 "\ntopoplan probe: %zu links measured before the failure written to %s "
                 "(marked incomplete)\n",
                 links, options.out.c_str());
    return Error(run.interruption->reason);
  }
  std::printf(
      "# topoplan probe: %d ranks, %zu links in %d rounds and %d retest rounds over %zu "
      "path(s); %zu low pairs, %zu measured again; %.1f s\n",
      comm.size(), links, rounds, retestRounds, probed.size(), suspects, measuredAgain,
      run.wallSeconds);
  printLinks(run, probed);
  printGpuCopies(run.gpuCopies);
  std::printf("# cluster document written to %s\n", options.out.c_str());
  return 0;
}

}  // namespace topoplan
