// The allreduce job: each algorithm of the plan swept over the sizes on every rank of the job,
// with the nccl-tests table shown as the records arrive.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "allreduce/sweep.h"
#include "cli/jobs/mpi_job.h"
#include "report/documents/allreduce_document.h"

namespace topoplan {

// What the options resolve to, before MPI starts; errors are bad input (exit 2).
struct AllreducePlan {
  std::vector<std::string> algos;
  bool named = false;  // the algorithms were named (not `all`): a waived one fails the run
  SweepConfig sweep;
  std::size_t chunkBytes = 0;
  double timeoutSeconds = 0;
};

// Runs every algorithm of the plan; each record joins run.records as soon as it is measured, so
// that a failed sweep leaves the ones before it. On rank 0, `show` gets the table as it grows
// (an algorithm's header, its rows, its average bus bandwidth; WAIVED lines).
Status runAllreduceJob(MpiJob& job, const AllreducePlan& plan, const SweepConfig& config,
                       AllreduceRun& run, const std::function<void(const std::string&)>& show);

// The sweep's settings, as the document records them.
nlohmann::ordered_json allreduceConfigJson(const SweepConfig& config, std::size_t chunkBytes);

// The table's first lines: ranks, hosts, MPI library, sizes and iterations.
std::string allreduceHeader(const AllreduceRun& run, const SweepConfig& config, int ranks);

}  // namespace topoplan
