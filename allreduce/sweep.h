// The sweep harness: runs one algorithm over sizes, types and ops and measures each into an
// AllreduceRecord.
//
// Method, per (type, op, size, placement):
//   1. With --check, an untimed pass on self-checking data (kernels/cpu/pattern.h): wrong
//      result elements, plus changed send-buffer elements out of place, summed over ranks.
//   2. `warmup` untimed iterations, then `iters` timed ones. Each timed iteration starts after a
//      barrier and is timed on every rank (a steady clock, or CUDA events for device buffers);
//      the iteration's time is the slowest rank's. The record keeps median, p10, p90, min and max
//      over iterations.
//   3. algbw = bytes / median time; busbw = algbw * 2(n-1)/n (nccl-tests' AllReduce factor).
// The buffers, the clock and the pattern's fill and check are the algorithm's
// (AllreduceAlgorithm::makeBuffers): host memory, or device memory for nccl.
// Rank 0's configuration is broadcast first (agreeOnConfig), so all ranks run the same loop.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "allreduce/algorithm.h"
#include "core/allreduce_record.h"

namespace topoplan {

struct SweepConfig {
  std::uint64_t minBytes = 8;
  std::uint64_t maxBytes = 128ULL << 20;
  double stepFactor = 2;        // multiply the size by this...
  std::uint64_t stepBytes = 0;  // ...or, when > 0, add this instead (nccl-tests' -i)
  int warmup = 5;
  int iters = 20;
  std::vector<DataType> types = {DataType::kFloat};
  std::vector<ReduceOp> ops = {ReduceOp::kSum};
  bool check = false;
  bool outOfPlace = true;
  bool inPlace = true;
};

// Errors name the option (-b, -e, -f, -i, -w, -n) and what was expected.
Status validate(const SweepConfig& config);

// Refuses a largest size whose two buffers would not fit in memory (before anything allocates).
Status checkBuffers(const SweepConfig& config);

// The byte sizes to measure, from minBytes up to maxBytes.
std::vector<std::uint64_t> sweepSizes(const SweepConfig& config);

// Makes every rank's config equal to rank 0's.
Status agreeOnConfig(Comm& comm, SweepConfig& config);

using RecordCallback = std::function<void(const AllreduceRecord&)>;

// Runs the sweep; every rank returns the same records. `onRecord` (may be empty) sees each
// record as soon as it is measured.
Result<std::vector<AllreduceRecord>> runSweep(Comm& comm, AllreduceAlgorithm& algorithm,
                                              const SweepConfig& config,
                                              const RecordCallback& onRecord = {});

}  // namespace topoplan
