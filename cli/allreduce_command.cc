#include "cli/allreduce_command.h"

#include <algorithm>
#include <cstdio>

#include "cli/jobs/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/document.h"
#include "core/units.h"
#include "report/documents/allreduce_document.h"

namespace topoplan {

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
  run.config = allreduceConfigJson(config, plan.chunkBytes);
  if (root) std::fputs(allreduceHeader(run, config, comm.size()).c_str(), stdout);
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
  Status measured = runAllreduceJob(**job, plan, config, run, [](const std::string& text) {
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
  });
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
