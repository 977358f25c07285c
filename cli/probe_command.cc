#include "cli/probe_command.h"

#include <chrono>
#include <cstdio>

#include "cli/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/data_type.h"
#include "core/memory.h"
#include "core/units.h"
#include "probes/gpu/copy_probe.h"
#include "probes/ib/rdma_probe.h"
#include "probes/inventory.h"
#include "probes/tcp/tcp_probe.h"
#include "probes/transport/mpi_comm.h"
#include "report/cluster_document.h"
#include "report/inventory_document.h"

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
      "probe", "Pairwise link probe under mpirun: every rank pair, in rounds of disjoint pairs");
  command->add_option("--paths", o.paths, "mpi,tcp,gpu,ib")->capture_default_str();
  command->add_option("--tcp-iface", o.tcpIface,
                      "interface of the tcp probe (default: the default route's)");
  command
      ->add_option("--timeout", o.timeout,
                   "seconds any one wait may last before the job ends (exit 3); the wait at "
                   "the end of a round lasts as long as its slowest pair. Default: 30 + the "
                   "bytes one pair moves at 10 MB/s")
      ->check(finiteIn(0.1, 86400.0));
  command->add_option("--sizes", o.sizes, "message sizes")->capture_default_str();
  command->add_option("--iters", o.iters, "samples per size")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command->add_option("--window", o.window, "messages in flight per bandwidth sample")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_flag("--serial", o.serial, "measure every pair alone");
  command->add_option("--bw-suspect", o.bwSuspect, "re-measure pairs below this x the best")
      ->capture_default_str()
      ->check(finiteIn(0.0, 1.0));
  command->add_option("--lat-suspect", o.latSuspect, "re-measure pairs above this x the lowest")
      ->capture_default_str()
      ->check(finiteIn(1.0, 1000.0));
  command->add_option("--out", o.out, "the topoplan.cluster/v1 document to write")->required();
  return command;
}

Result<ProbePlan> planProbe(const ProbeOptions& o) {
  ProbePlan plan;
  for (std::string_view path : splitList(o.paths)) {
    if (path != "mpi" && path != "tcp" && path != "gpu" && path != "ib") {
      return Error("--paths: '" + std::string(path) + "': expected mpi, tcp, gpu or ib");
    }
    plan.paths.emplace_back(path);
  }
  if (plan.paths.empty()) return Error("--paths: expected at least one of mpi, tcp, gpu, ib");
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
  TOPOPLAN_TRY(
      checkFitsInMemory(plan.config.sizes.back(), "--sizes: the buffer of the largest size"));
  plan.config.iters = o.iters;
  plan.config.window = o.window;
  plan.config.serial = o.serial;
  plan.config.bwSuspectRatio = o.bwSuspect;
  plan.config.latSuspectRatio = o.latSuspect;
  // A barrier waits for the slowest pair of its round: ping-pongs and windows of every size.
  double pairBytes = 0;
  for (std::uint64_t bytes : plan.config.sizes) {
    pairBytes += static_cast<double>(bytes) * (o.iters + 1) * (2 + o.window);
  }
  plan.timeoutSeconds = o.timeout > 0 ? o.timeout : defaultTimeoutSeconds(pairBytes);
  TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  return plan;
}

namespace {

// Measures each requested path in turn into `probed`; a path that fails leaves its partial
// result there.
Status measurePaths(const ProbePlan& plan, const ProbeOptions& options, MpiJob& job, ProbeRun& run,
                    const std::vector<GpuPairPath>& gpuPairs, std::vector<ProbedPath>& probed) {
  MpiComm& comm = job.comm();
  const bool root = job.root();
  auto sameHost = [&](int a, int b) {
    return run.rankHosts[static_cast<std::size_t>(a)] == run.rankHosts[static_cast<std::size_t>(b)];
  };
  for (const std::string& path : plan.paths) {
    auto progress = [&](int done, int total) {
      if (root) std::fprintf(stderr, "\rtopoplan probe %s: round %d/%d", path.c_str(), done, total);
      if (root && done == total) std::fputc('\n', stderr);
    };
    ProbeConfig config = plan.config;
    config.label = path + " probe";
    if (path == "mpi") {
      probed.push_back({"mpi", "", "net", "shm", {}});
      TOPOPLAN_TRY(runPairProbe(comm, config, sameHost, probed.back().result, progress));
    } else if (path == "tcp") {
      // Every rank chooses its interface by the same rule; the document names rank 0's.
      auto iface = chooseInterface(options.tcpIface);
      if (!iface) return iface.error();
      comm.setActivity("tcp probe: opening listeners on " + iface->name);
      auto tcp = TcpProbe::open(comm, *iface, config, plan.timeoutSeconds);
      if (!tcp) return tcp.error().context("tcp probe over " + iface->name);
      probed.push_back({"tcp", iface->name, pathKind(*iface), "loopback", {}});
      Status measured =
          runPairProbe(comm, config, sameHost, probed.back().result, progress, (*tcp)->measurer());
      if (!measured) return measured.error().context("tcp probe over " + iface->name);
    } else if (path == "gpu") {
      comm.setActivity("gpu probe: every host's GPU copies");
      TOPOPLAN_TRY(measureGpuCopies(comm, run, gpuPairs));
    } else if (path == "ib") {
      std::string waived;
      comm.setActivity("ib probe: opening an RDMA port");
      auto rdma = RdmaProbe::open(comm, config, plan.timeoutSeconds, waived);
      if (!rdma) return rdma.error();
      if (!*rdma) {
        run.waived.emplace_back(path, waived);
        continue;
      }
      probed.push_back({"ib", (*rdma)->port(), (*rdma)->networkPath(), "hca-loopback", {}});
      Status measured =
          runPairProbe(comm, config, sameHost, probed.back().result, progress, (*rdma)->measurer());
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

void printLinks(const nlohmann::ordered_json& document) {
  std::printf("# %-10s %-10s %-5s %-14s %12s %10s\n", "rank a", "rank b", "probe", "path",
              "bw (GB/s)", "lat (us)");
  for (const auto& link : document["links"]) {
    const std::string a =
        std::to_string(link["a"].get<int>()) + "@" + link["host_a"].get<std::string>();
    const std::string b =
        std::to_string(link["b"].get<int>()) + "@" + link["host_b"].get<std::string>();
    std::printf("  %-10s %-10s %-5s %-14s %12.4f %10.2f%s\n", a.c_str(), b.c_str(),
                link["probe"].get<std::string>().c_str(), link["path"].get<std::string>().c_str(),
                link["bw_gbps"]["median"].get<double>(), link["lat_us"]["median"].get<double>(),
                link["measured_alone"].get<bool>() ? "  (alone)" : "");
  }
  for (const auto& waived : document["waived"]) {
    std::printf("# %s: WAIVED (%s)\n", waived["probe"].get<std::string>().c_str(),
                waived["reason"].get<std::string>().c_str());
  }
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

  const auto document = clusterDocument(run, probed);
  TOPOPLAN_TRY(writeFileAtomic(options.out, document.dump(2) + "\n"));
  if (!measured) {
    std::fprintf(stderr,
                 "\ntopoplan probe: %zu links measured before the failure written to %s "
                 "(marked incomplete)\n",
                 document["links"].size(), options.out.c_str());
    return Error(run.interruption->reason);
  }
  std::printf(
      "# topoplan probe: %d ranks, %zu links in %d rounds per path, %zu suspects "
      "re-measured, %.1f s\n",
      comm.size(), document["links"].size(), document["rounds"].get<int>(),
      document["suspects"].size(), run.wallSeconds);
  printLinks(document);
  printGpuCopies(document["gpu_copies"]);
  std::printf("# cluster document written to %s\n", options.out.c_str());
  return 0;
}

}  // namespace topoplan
