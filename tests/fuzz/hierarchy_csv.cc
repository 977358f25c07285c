// Fuzz target: hierarchy CSV and the free-state CSV.
#include "placement/hierarchy_csv.h"
#include "placement/gang.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  (void)looksLikeHierarchyCsv(fuzz::text(data, size));
  if (auto topology = parseHierarchyCsv(fuzz::text(data, size), "fuzz")) {
    if (auto free = parseFreeCsv(fuzz::text(data, size), "fuzz")) {
      (void)FreeState::fromMap(*topology, *free, "fuzz");
    }
  }
  (void)parseFreeCsv(fuzz::text(data, size), "fuzz");
  return 0;
}
