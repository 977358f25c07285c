// Fuzz target: nccl-tests text logs, and whatever readMetrics recognises (documents, -J JSON).
#include "report/gate/metrics.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  (void)parseNcclTestsLog(std::string(fuzz::text(data, size)), "fuzz");
  fuzz::MemoryFile file(data, size);
  if (file.ok()) (void)readMetrics(file.path());
  return 0;
}
