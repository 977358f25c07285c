// Fuzz target: job traces (Kalos CSV, plain CSV, sacct --parsable2), and a replay of what parses
// on a small cluster with EASY backfill.
#include "placement/whatif/trace.h"
#include "placement/synthetic.h"
#include "placement/whatif/replay.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  auto trace = parseTrace(fuzz::text(data, size), "fuzz", TraceOptions{1.0, 1 << 20});
  if (!trace || trace->jobs.size() > 2000) return 0;
  auto topology = syntheticTopology("spine=2,leaf=2,host=2,gpu=8");
  if (!topology) return 0;
  const CostModel cost(*topology);
  ReplayOptions options;
  options.backfill = true;
  (void)replay(*topology, cost, {}, trace->jobs, options);
  return 0;
}
