#include "cli/jobs/allreduce_job.h"

#include <cstdio>

#include "allreduce/mpi/mpi_allreduce.h"
#include "allreduce/nccl/nccl_allreduce.h"
#include "allreduce/registry.h"
#include "core/document.h"
#include "probes/transport/mpi_comm.h"
#include "report/views/allreduce_table.h"

namespace topoplan {
namespace {

// The nccl algorithm on this rank's GPU, or (null) the reason it is waived, printed and recorded.
Result<std::unique_ptr<AllreduceAlgorithm>> ncclAlgorithm(
    const AllreducePlan& plan, MpiJob& job, const BlockingGuard& guard, AllreduceRun& run,
    const std::function<void(const std::string&)>& show) {
  auto localRank = job.sharedMemoryRank();
  if (!localRank) return localRank.error().context("allreduce nccl");
  auto setup = setUpNccl(job.comm(), *localRank, plan.timeoutSeconds, guard);
  if (!setup) return setup.error().context("allreduce nccl");
  if (!setup->waived.empty()) {
    run.waived.push_back({"nccl", setup->waived});
    if (job.root()) show("# algo nccl: WAIVED (" + setup->waived + ")\n#\n");
    return std::unique_ptr<AllreduceAlgorithm>();
  }
  run.ncclLibrary = setup->library + ", rank 0 on " + setup->device;
  if (job.root()) show("# " + run.ncclLibrary + "\n");
  return std::move(setup->algorithm);
}

}  // namespace

Status runAllreduceJob(MpiJob& job, const AllreducePlan& plan, const SweepConfig& config,
                       AllreduceRun& run, const std::function<void(const std::string&)>& show) {
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
      auto nccl = ncclAlgorithm(plan, job, guard, run, show);
      if (!nccl) return nccl.error();
      if (!*nccl) continue;
      algorithm = std::move(*nccl);
    } else {
      algorithm = makeOwnAlgorithm(algo, AlgorithmOptions{plan.chunkBytes});
    }
    TOPOPLAN_CHECK(algorithm != nullptr, "planAllreduce admitted an unknown algorithm");
    if (root) show("# algo " + algo + "\n" + allreduceTableHeader());
    AllreduceRowBuilder rows;
    const std::size_t first = run.records.size();
    RecordCallback onRecord = [&](const AllreduceRecord& record) {
      run.records.push_back(record);
      comm.setActivity("allreduce " + algo + ", after " + std::to_string(run.records.size()) +
                       " results (the last of " + std::to_string(record.bytes) + " bytes)");
      if (root) show(rows.add(record));
    };
    comm.setActivity("allreduce " + algo + ", starting");
    auto records = runSweep(comm, *algorithm, config, onRecord);
    if (!records) return records.error().context("allreduce " + algo);
    if (root) {
      const std::vector<AllreduceRecord> mine(run.records.begin() + static_cast<long>(first),
                                              run.records.end());
      char average[64];
      std::snprintf(average, sizeof average, "# Avg bus bandwidth    : %g\n#\n",
                    averageBusbw(mine));
      show(rows.flush() + average);
    }
  }
  return okStatus();
}

nlohmann::ordered_json allreduceConfigJson(const SweepConfig& config, std::size_t chunkBytes) {
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

std::string allreduceHeader(const AllreduceRun& run, const SweepConfig& config, int ranks) {
  const std::size_t hostCount = uniqueHosts(run.rankHosts).size();
  char line[512];
  std::snprintf(line, sizeof line, "# topoplan allreduce: %d ranks on %zu host%s, %s\n", ranks,
                hostCount, hostCount == 1 ? "" : "s", run.mpiLibrary.c_str());
  std::string out = line;
  char step[64];
  if (config.stepBytes > 0) {
    std::snprintf(step, sizeof step, "%llu(bytes)",
                  static_cast<unsigned long long>(config.stepBytes));
  } else {
    std::snprintf(step, sizeof step, "%g(factor)", config.stepFactor);
  }
  std::snprintf(line, sizeof line,
                "# minBytes %llu maxBytes %llu step: %s warmup iters: %d iters: %d check: %d\n#\n",
                static_cast<unsigned long long>(config.minBytes),
                static_cast<unsigned long long>(config.maxBytes), step, config.warmup, config.iters,
                config.check ? 1 : 0);
  return out + line;
}

}  // namespace topoplan
