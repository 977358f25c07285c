// Job traces for `replay`: gang jobs with their arrival, size and work.
//
// Formats, recognised from the header line:
// - the Acme "Kalos" gang trace (job_id,arrival_time,num_iteration,iteration_computing_time,
//   iteration_networking_time,gpu_workers,...,gpu_per_worker,...): one step per iteration.
//   Its networking time is read as the AllReduce time at 50 GB/s busbw (CostModel::
//   kDefaultGbps), which fixes the bytes of each step; a one-node job's networking stays
//   inside the node and counts as compute.
// - plain CSV submit_s,nodes,gpus_per_node,duration_s[,bytes_per_step][,priority][,team]:
//   duration_s is the compute time; with bytes_per_step the job runs one AllReduce per `stepS` of
//   compute; priority (an integer, higher first; 0 where absent) orders replay's queue; team
//   names whose share the job runs on (fair share). Without a header line the fifth field is
//   bytes_per_step.
// - Slurm's `sacct --parsable2 -o JobID,Submit,Start,End,NNodes,AllocTRES`: compute time is
//   End - Start, GPUs per node come from gres/gpu in AllocTRES; job steps (JobID with a '.'),
//   jobs that never ran and jobs without GPUs are skipped and counted. A Priority column, where
//   the output has one (sacct -o ...,Priority), is the job's priority; an Account column its
//   team.
// Submit times become seconds from the first submission.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "placement/topology.h"

namespace topoplan {

struct TraceJob {
  std::string id;
  double submitS = 0;
  int nodes = 1;
  int gpusPerNode = 0;
  double computeS = 0;             // run time without communication between nodes
  long long steps = 0;             // AllReduces between nodes (0: none modelled)
  std::uint64_t bytesPerStep = 0;  // each AllReduce's size
  int line = 0;                    // where it came from
  long long priority = 0;          // higher first (replay's queue order and preemption)
  std::string team = "";           // whose share it runs on (replay's fair share; "": none)
};

struct Trace {
  std::string format;          // "kalos", "csv" or "sacct"
  std::vector<TraceJob> jobs;  // in submission order
  int skipped = 0;             // rows that describe no gang job (sacct: steps, never ran, no GPU)
};

struct TraceOptions {
  double stepS = 1.0;              // compute seconds per step where the trace does not say
  std::uint64_t bytesPerStep = 0;  // for traces without bytes (plain CSV without the column, sacct)
};

// Errors name the source, the line and the field, and what was expected.
Result<Trace> parseTrace(std::string_view text, const std::string& source,
                         const TraceOptions& options = {});

// A host's failure and repair, in seconds from the trace's start (replay.h).
struct HostFailure {
  int host = 0;
  double downS = 0, upS = 0;
};

// A failure log for replay: CSV `host,down_s,up_s` (a header line optional, '#' comments), the
// host named as in the cluster, times in seconds from the trace's start; an empty up_s: down to
// the end. Errors name the source and line.
Result<std::vector<HostFailure>> parseFailureLog(std::string_view text, const std::string& source,
                                                 const Topology& topology);

}  // namespace topoplan
