#include "cli/allreduce_command.h"

#include <algorithm>
#include <cstdio>

#include "allreduce/mpi/mpi_allreduce.h"
#include "allreduce/nccl/nccl_allreduce.h"
#include "allreduce/registry.h"
#include "cli/jobs/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/document.h"
#include "core/units.h"
#include "probes/transport/mpi_comm.h"
#include "report/allreduce_document.h"
#include "report/allreduce_table.h"

namespace topoplan {
namespace {

nlohmann::ordered_json configJson(const SweepConfig& config, std::size_t chunkBytes) {
  nlohmann::ordered_json types = nlohmann::ordered_json::array(),
                         ops = nlohmann::ordered_json::array();
  for (DataType type : config.types) types.push_back(name(type));
  for (ReduceOp op : config.ops) ops.push_back(name(op));
  return {{"min_bytes", config.minBytes},
          {"max_bytes", config.maxBytes},
          {"step_factor", config.stepFactor},
          {"step_bytes", config.stepBytes},
          {"warmup_iters", config.warmup},
          {"iters", config.iters},
          {"dtypes", types},
          {"ops", ops},
          {"check", config.check},
          {"chunk_bytes", chunkBytes}};
}

}  // namespace

const std::vector<std::string>& knownAllreduceAlgorithms() {
  static const std::vector<std::string> kNames = {"mpi", "ring", "rhd", "tree", "nccl"};
  return kNames;
}

CLI::App* addAllreduceCommand(CLI::App& app, AllreduceOptions& o) {
  CLI::App* command = app.add_subcommand(
      "allreduce",
      "AllReduce sweep under mpirun: nccl-tests layout (time, algbw, busbw, #wrong) per algorithm");
  command->add_option("--algo", o.algos, "mpi,ring,rhd,tree,nccl or all")->capture_default_str();
  command->add_option("-b,--minbytes", o.minBytes, "smallest size (8, 64K, 1M ...)")
      ->capture_default_str();
  command->add_option("-e,--maxbytes", o.maxBytes, "largest size")->capture_default_str();
  command->add_option("-f,--stepfactor", o.stepFactor, "multiply the size by this")
      ->capture_default_str()
      ->check(finiteIn(1.0, 1e6));
  command->add_option("-i,--stepbytes", o.stepBytes, "add this to the size instead of -f");
  command->add_option("-w,--warmup_iters", o.warmup, "untimed iterations per size")
      ->capture_default_str();
  command->add_option("-n,--iters", o.iters, "timed iterations per size")->capture_default_str();
  command->add_option("-d,--datatype", o.types, "float,double,int32,bf16,half or all")
      ->capture_default_str();
  command->add_option("-o,--op", o.ops, "sum,prod,min,max or all")->capture_default_str();
  command->add_option("--chunk", o.chunk, "pipeline chunk of ring and tree")->capture_default_str();
  command->add_flag("-c,--check", o.check, "verify every element in an untimed pass");
  CLI::Option* outOfPlaceOnly =
      command->add_flag("--out-of-place-only", o.onlyOutOfPlace, "skip the in-place measurements");
  command->add_flag("--in-place-only", o.onlyInPlace, "skip the out-of-place measurements")
      ->excludes(outOfPlaceOnly);
  command->add_option("--json", o.json, "write a topoplan.allreduce/v1 document here");
  command
      ->add_option("--timeout", o.timeout,
                   "seconds any one wait may last before the job ends (exit 3); default: 30 + "
                   "4 x the largest size at 10 MB/s")
      ->check(finiteIn(0.1, 86400.0));
  return command;
}

Result<AllreducePlan> planAllreduce(const AllreduceOptions& o) {
  AllreducePlan plan;
  if (o.algos == "all") {
    plan.algos = knownAllreduceAlgorithms();
  } else {
    for (std::string_view name : splitList(o.algos)) {
      const auto& known = knownAllreduceAlgorithms();
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return Error("--algo: '" + std::string(name) +
                     "': expected mpi, ring, rhd, tree, nccl or all");
      }
      plan.algos.emplace_back(name);
    }
    plan.named = true;
    if (plan.algos.empty()) return Error("--algo: expected at least one algorithm");
  }
  SweepConfig& config = plan.sweep;
  auto minBytes = parseSize(o.minBytes, "-b/--minbytes");
  if (!minBytes) return minBytes.error();
  auto maxBytes = parseSize(o.maxBytes, "-e/--maxbytes");
  if (!maxBytes) return maxBytes.error();
  config.minBytes = *minBytes;
  config.maxBytes = *maxBytes;
  if (!o.stepBytes.empty()) {
    auto step = parseSize(o.stepBytes, "-i/--stepbytes");
    if (!step) return step.error();
    if (*step == 0) return Error("-i/--stepbytes: expected a step above 0");
    config.stepBytes = *step;
  }
  config.stepFactor = o.stepFactor;
  config.warmup = o.warmup;
  config.iters = o.iters;
  auto types = parseDataTypes(o.types);
  if (!types) return types.error().context("-d/--datatype");
  config.types = *types;
  auto ops = parseReduceOps(o.ops);
  if (!ops) return ops.error().context("-o/--op");
  config.ops = *ops;
  config.check = o.check;
  config.inPlace = !o.onlyOutOfPlace;
  config.outOfPlace = !o.onlyInPlace;
  auto chunk = parseSize(o.chunk, "--chunk");
  if (!chunk) return chunk.error();
  if (*chunk < 8 || *chunk > (1ULL << 30)) return Error("--chunk: expected 8 bytes to 1G");
  plan.chunkBytes = *chunk;
  TOPOPLAN_TRY(validate(config));
  TOPOPLAN_TRY(checkBuffers(config));
  // The longest wait: a barrier or receive behind one AllReduce of the largest size.
  plan.timeoutSeconds =
      o.timeout > 0 ? o.timeout : defaultTimeoutSeconds(4.0 * static_cast<double>(config.maxBytes));
  if (!o.json.empty()) TOPOPLAN_TRY(checkOutputPath(o.json, "--json"));
  return plan;
}

namespace {

// The nccl algorithm on this rank's GPU, or (null) the reason it is waived, printed and recorded.
Result<std::unique_ptr<AllreduceAlgorithm>> ncclAlgorithm(const AllreducePlan& plan, MpiJob& job,
                                                          const BlockingGuard& guard,
                                                          AllreduceRun& run) {
  auto localRank = job.sharedMemoryRank();
  if (!localRank) return localRank.error().context("allreduce nccl");
  auto setup = setUpNccl(job.comm(), *localRank, plan.timeoutSeconds, guard);
  if (!setup) return setup.error().context("allreduce nccl");
  if (!setup->waived.empty()) {
    run.waived.push_back({"nccl", setup->waived});
    if (job.root()) std::printf("# algo nccl: WAIVED (%s)\n#\n", setup->waived.c_str());
    return std::unique_ptr<AllreduceAlgorithm>();
  }
  run.ncclLibrary = setup->library + ", rank 0 on " + setup->device;
  if (job.root()) std::printf("# %s\n", run.ncclLibrary.c_str());
  return std::move(setup->algorithm);
}

void printHeader(const AllreduceRun& run, const SweepConfig& config, int ranks) {
  const std::size_t hostCount = uniqueHosts(run.rankHosts).size();
  std::printf("# topoplan allreduce: %d ranks on %zu host%s, %s\n", ranks, hostCount,
              hostCount == 1 ? "" : "s", run.mpiLibrary.c_str());
  char step[64];
  if (config.stepBytes > 0) {
    std::snprintf(step, sizeof step, "%llu(bytes)",
                  static_cast<unsigned long long>(config.stepBytes));
  } else {
    std::snprintf(step, sizeof step, "%g(factor)", config.stepFactor);
  }
  std::printf("# minBytes %llu maxBytes %llu step: %s warmup iters: %d iters: %d check: %d\n#\n",
              static_cast<unsigned long long>(config.minBytes),
              static_cast<unsigned long long>(config.maxBytes), step, config.warmup, config.iters,
              config.check ? 1 : 0);
}

// Runs every algorithm of the plan; each record joins run.records as soon as it is measured, so
// that a failed sweep leaves the ones before it.
Status sweepAlgorithms(const AllreducePlan& plan, const SweepConfig& config, MpiJob& job,
                       AllreduceRun& run) {
  MpiComm& comm = job.comm();
  const bool root = job.root();
  const BlockingGuard guard = [&job](const std::string& what, const std::function<Status()>& call) {
    return job.blocking(what, call);
  };
  for (const std::string& algo : plan.algos) {
    std::unique_ptr<AllreduceAlgorithm> algorithm;
    if (algo == "mpi") {
      algorithm = std::make_unique<MpiAllreduce>(comm.native(), guard);
    } else if (algo == "nccl") {
      auto nccl = ncclAlgorithm(plan, job, guard, run);
      if (!nccl) return nccl.error();
      if (!*nccl) continue;
      algorithm = std::move(*nccl);
    } else {
      algorithm = makeOwnAlgorithm(algo, AlgorithmOptions{plan.chunkBytes});
    }
    TOPOPLAN_CHECK(algorithm != nullptr, "planAllreduce admitted an unknown algorithm");
    if (root) std::printf("# algo %s\n%s", algo.c_str(), allreduceTableHeader().c_str());
    AllreduceRowBuilder rows;
    const std::size_t first = run.records.size();
    RecordCallback onRecord = [&](const AllreduceRecord& record) {
      run.records.push_back(record);
      comm.setActivity("allreduce " + algo + ", after " + std::to_string(run.records.size()) +
                       " results (the last of " + std::to_string(record.bytes) + " bytes)");
      if (!root) return;
      std::fputs(rows.add(record).c_str(), stdout);
      std::fflush(stdout);
    };
    comm.setActivity("allreduce " + algo + ", starting");
    auto records = runSweep(comm, *algorithm, config, onRecord);
    if (!records) return records.error().context("allreduce " + algo);
    if (root) {
      std::fputs(rows.flush().c_str(), stdout);
      const std::vector<AllreduceRecord> mine(run.records.begin() + static_cast<long>(first),
                                              run.records.end());
      std::printf("# Avg bus bandwidth    : %g\n#\n", averageBusbw(mine));
      std::fflush(stdout);
    }
  }
  return okStatus();
}

}  // namespace

Result<int> runAllreduce(const AllreducePlan& plan, const AllreduceOptions& options,
                         MpiSession& session, const std::vector<std::string>& argv) {
  auto job = MpiJob::start(session, plan.timeoutSeconds);
  if (!job) return job.error();
  MpiComm& comm = (*job)->comm();
  const bool root = (*job)->root();
  SweepConfig config = plan.sweep;
  TOPOPLAN_TRY(agreeOnConfig(comm, config));
  AllreduceRun run;
  run.argv = argv;
  run.rankHosts = (*job)->rankHosts();
  run.mpiLibrary = MpiSession::libraryVersion();
  run.config = configJson(config, plan.chunkBytes);
  if (root) printHeader(run, config, comm.size());
  // Rank 0 writes the document at the end, or what was measured when the job fails.
  auto writeDocument = [&]() -> Status {
    if (!root || options.json.empty()) return okStatus();
    TOPOPLAN_TRY(writeFileAtomic(options.json, allreduceDocument(run).dump(2) + "\n"));
    if (run.interruption) {
      std::fprintf(stderr,
                   "topoplan allreduce: %zu results measured before the failure written to %s "
                   "(marked incomplete)\n",
                   run.records.size(), options.json.c_str());
    } else {
      std::printf("# JSON written to %s\n", options.json.c_str());
    }
    return okStatus();
  };
  (*job)->setStallHandler([&](const std::string& reason) {
    run.interruption = Interruption{reason, {}};
    (void)writeDocument();
  });
  Status measured = sweepAlgorithms(plan, config, **job, run);
  if (!measured) run.interruption = (*job)->fail(measured.error());
  std::uint64_t wrong = 0;
  for (const AllreduceRecord& record : run.records) wrong += record.wrong.value_or(0);
  if (root && config.check && measured) {
    std::printf("# Wrong elements       : %llu %s\n", static_cast<unsigned long long>(wrong),
                wrong == 0 ? "OK" : "FAILED");
  }
  TOPOPLAN_TRY(writeDocument());
  if (!measured) return Error(run.interruption->reason);
  if (wrong != 0) return kExitCheckFailed;
  if (plan.named && !run.waived.empty()) {
    // Every rank agreed on the waiver, so every rank ends with 3 and MPI finalizes normally.
    if (root) {
      for (const auto& waived : run.waived) {
        std::fprintf(stderr,
                     "topoplan: error: --algo %s was asked for and waived (%s): nothing "
                     "was measured of it (--algo all waives what this machine cannot run)\n",
                     waived.algo.c_str(), waived.reason.c_str());
      }
    }
    return kExitRuntime;
  }
  return kExitOk;
}

}  // namespace topoplan
