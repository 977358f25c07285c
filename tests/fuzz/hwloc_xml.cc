// Fuzz target: hwloc XML topologies (hwloc's parser underneath, then our reading of its tree).
#include "probes/inventory.h"
#include "tests/fuzz/fuzz_input.h"

// hwloc 2.9 leaks the objects of an XML file it rejects halfway (regressions/hwloc_xml holds one
// found here); our code destroys every topology it creates (probes/inventory.cc, unique_ptr), so
// leaks inside libhwloc are not ours to report.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libhwloc.so\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;  // an empty path would read this machine instead
  topoplan::fuzz::MemoryFile file(data, size);
  if (file.ok()) (void)topoplan::readInventory(file.path());
  return 0;
}
