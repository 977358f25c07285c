// Fuzz target: NCCL topology XML (libxml2 underneath).
#include "probes/nccl_topology.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  topoplan::fuzz::MemoryFile file(data, size);
  if (file.ok()) (void)topoplan::readNcclTopology(file.path());
  return 0;
}
