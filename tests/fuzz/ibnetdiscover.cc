// Fuzz target: ibnetdiscover dumps.
#include "placement/ibnetdiscover.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)topoplan::parseIbnetdiscover(topoplan::fuzz::text(data, size), "fuzz");
  return 0;
}
