#include "cli/probe_command.h"

#include <chrono>
#include <cstdio>

#include "cli/cluster_loader.h"
#include "cli/jobs/modeled_probe_job.h"
#include "cli/jobs/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/data_type.h"
#include "core/json_fields.h"
#include "core/memory.h"
#include "core/units.h"
#include "probes/transport/mpi_comm.h"
#include "report/documents/cluster_document.h"
#include "report/documents/fabric_document.h"
#include "report/documents/probe_structure.h"

namespace topoplan {

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
                   "finest domain, --sample-k pairs leaving each domain), discover (one rank per "
                   "host: a discovery pass of small messages between batches of centers and "
                   "every host infers the domains, then sampled within them; every pair where "
                   "it finds none), or auto (all up to " +
                       std::to_string(kAllPairsUpToHosts) +
                       " hosts; beyond, sampled with --declared, else discover)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "all", "sampled", "discover"}));
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
  command->add_option("--fabric", o.fabric,
                      "probe a modeled fabric (a topoplan.fabric/v1 file) instead of the ranks of "
                      "mpirun: the same rounds, budgets, sampling, discovery and retests, with a "
                      "modeled clock; no MPI (--paths, --tcp-iface and --contention do not apply)");
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
  if (o.pairs == "discover" && (plan.declared || o.serial)) {
    return Error(
        "--pairs discover: finds the domains itself; expected neither --declared nor "
        "--serial");
  }
  // A wait lasts at most as long as the slowest pair of a round.
  plan.timeoutSeconds = o.timeout > 0 ? o.timeout : 30 + 2 * plan.config.pairSecondsAtMost();
  TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  return plan;
}

Result<int> runProbe(const ProbePlan& plan, const ProbeOptions& options, MpiSession& session,
                     const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  auto job = MpiJob::start(session, plan.timeoutSeconds);
  if (!job) return job.error();
  MpiComm& comm = (*job)->comm();
  const bool root = (*job)->root();
  ProbeRun run;
  run.argv = argv;
  run.config = probeConfigJson(plan, options);
  run.keepSweeps = options.keepSweeps;
  run.rankHosts = (*job)->rankHosts();
  run.localRanks = (*job)->localRanks();
  std::vector<ProbedPath> probed;
  Status measured = runProbeJob(comm, plan, options, run, probed);
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
  std::fputs(probeTable(run, probed).c_str(), stdout);
  std::printf("# cluster document written to %s\n", options.out.c_str());
  return 0;
}

Result<int> runModeledProbe(const ProbePlan& plan, const ProbeOptions& options,
                            const std::vector<std::string>& argv) {
  const auto start = std::chrono::steady_clock::now();
  auto json = readJsonFile(options.fabric);
  if (!json) return json.error().context("--fabric");
  auto fabric = readFabricDocument(*json, options.fabric);
  if (!fabric) return fabric.error();
  json = nlohmann::ordered_json();  // a fabric of thousands of hosts: free its text early
  ProbeRun run;
  run.argv = argv;
  run.config = probeConfigJson(plan, options);
  run.config["fabric"] = options.fabric;
  run.keepSweeps = options.keepSweeps;
  std::vector<ProbedPath> probed;
  TOPOPLAN_TRY(runModeledProbeJob(*fabric, plan, options, run, probed, true));
  run.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  TOPOPLAN_TRY(writeFileAtomic(options.out, clusterDocumentText(run, probed)));
  const ProbeResult& result = probed.front().result;
  std::size_t suspects = 0, measuredAgain = 0;
  for (const LinkMeasurement& link : result.links) {
    suspects += !link.suspectReason.empty();
    measuredAgain += !link.alone.empty();
  }
  std::printf(
      "# topoplan probe (modeled fabric %s): %zu hosts, %zu links in %d rounds and %d retest "
      "rounds; %zu low pairs, %zu measured again\n",
      options.fabric.c_str(), run.rankHosts.size(), result.links.size(), result.rounds,
      result.retestRounds, suspects, measuredAgain);
  if (run.discovery) {
    std::printf("# discovery pass: %zu pairs in %d rounds, %d level(s) found: %s\n",
                run.discovery->pairs, run.discovery->rounds, run.discovery->levels,
                run.discovery->outcome.c_str());
  }
  std::printf("# modeled probe time %.1f s (%.1f min); this run took %.1f s\n",
              run.modeledWallSeconds, run.modeledWallSeconds / 60, run.wallSeconds);
  std::fputs(probeTable(run, probed).c_str(), stdout);
  std::printf("# cluster document written to %s\n", options.out.c_str());
  return 0;
}

}  // namespace topoplan
