// Fuzz target: what schedulers print (scontrol, sinfo, scontrol --json, kubectl JSON), and the
// free state made of it for a small cluster.
#include "report/scheduler/scheduler_nodes.h"
#include "placement/synthetic.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  const std::string text(fuzz::text(data, size));
  (void)looksLikeSchedulerOutput(text);
  if (auto nodes = parseSchedulerNodes({{"fuzz", text}})) {
    if (auto topology = syntheticTopology("rack=2,host=3,gpu=8"))
      (void)schedulerFree(*nodes, *topology);
  }
  return 0;
}
