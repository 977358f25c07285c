// Fuzz target: job traces (Kalos CSV, plain CSV, sacct --parsable2), and a replay of what parses
// on a small cluster with EASY backfill and preemption; the same text as a failure log, and a replay with those
// failures and drawn ones.
#include "placement/whatif/trace.h"
#include "placement/synthetic.h"
#include "placement/whatif/replay.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  auto topology = syntheticTopology("spine=2,leaf=2,host=2,gpu=8");
  if (!topology) return 0;
  const CostModel cost(*topology);
  auto failures = parseFailureLog(fuzz::text(data, size), "fuzz", *topology);
  if (failures && failures->size() <= 50) {
    ReplayOptions options;
    options.failures = *failures;
    options.mtbfS = 5000;
    options.mttrS = 300;
    options.checkpointS = 60;
    const std::vector<TraceJob> jobs = {{"", 0, 2, 8, 1000, 0, 0, 0}, {"", 10, 8, 8, 100, 0, 0, 0}};
    (void)replay(*topology, cost, {}, jobs, options);
  }
  auto trace = parseTrace(fuzz::text(data, size), "fuzz", TraceOptions{1.0, 1 << 20});
  if (!trace || trace->jobs.size() > 2000) return 0;
  ReplayOptions options;
  options.backfill = true;
  options.preempt = true;  // a priority column makes some preempt others
  options.checkpointS = 60;
  (void)replay(*topology, cost, {}, trace->jobs, options);
  return 0;
}
