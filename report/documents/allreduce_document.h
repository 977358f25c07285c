// The topoplan.allreduce/v1 document: writer and reader of AllReduce records.
//
// {
//   "schema": "topoplan.allreduce/v1", "tool": {...}, "command_line": "...",
//   "hosts": ["node1", ...], "created_utc": "...",
//   "ranks": 4, "rank_hosts": ["node1", ...], "mpi_library": "Open MPI v4.1.4 ...",
//   "config": {"min_bytes", "max_bytes", "step_factor", "step_bytes", "warmup_iters",
//              "iters", "check"},
//   "results": [{"algo", "bytes", "count", "dtype", "op", "in_place",
//                "time_us": {"median", "p10", "p90", "min", "max", "mean", "cv"},
//                "algbw_gbps", "busbw_gbps", "wrong" (null when not checked), "samples"}],
//   "waived": [{"algo", "reason"}],
//   "incomplete": false (or true, with "incomplete_reason" and "lost_ranks" [{"rank", "host"}])
// }
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/allreduce_record.h"
#include "core/interruption.h"
#include "core/result.h"

namespace topoplan {

struct AllreduceRun {
  std::vector<std::string> argv;
  std::vector<std::string> rankHosts;  // index = rank
  std::string mpiLibrary;
  std::string ncclLibrary;  // "NCCL 2.28.9, rank 0 on cuda0 (...)" when nccl ran
  nlohmann::ordered_json config = nlohmann::ordered_json::object();
  std::vector<AllreduceRecord> records;
  std::vector<WaivedAlgorithm> waived;
  std::optional<Interruption> interruption;  // set when the run ended early
};

nlohmann::ordered_json toJson(const AllreduceRecord& record);
nlohmann::ordered_json allreduceDocument(const AllreduceRun& run);

// Reads the results of a topoplan.allreduce/v1 document; errors name `source` and the field.
Result<std::vector<AllreduceRecord>> readAllreduceRecords(const nlohmann::ordered_json& document,
                                                          const std::string& source);

}  // namespace topoplan
