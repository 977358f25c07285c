// Fuzz target: Slurm topology.conf (switch trees and blocks) and hostlists.
#include "placement/slurm_topology.h"
#include "placement/hostlist.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  (void)looksLikeSlurmTopology(fuzz::text(data, size));
  (void)parseSlurmTopology(fuzz::text(data, size), "fuzz");
  (void)expandHostlist(fuzz::text(data, size), 100000);
  return 0;
}
