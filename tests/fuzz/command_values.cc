// Fuzz target: values given on the command line: sizes (64M), gang specs (16x8), patterns, data
// types and ops, synthetic cluster specs.
#include "core/data_type.h"
#include "core/units.h"
#include "placement/gang.h"
#include "placement/synthetic.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  const std::string_view text = fuzz::text(data, size);
  (void)parseSize(text, "--size");
  (void)parseGang(text);
  (void)parsePattern(text);
  (void)parseDataTypes(text);
  (void)parseReduceOps(text);
  if (size < 64) (void)syntheticTopology(text);  // longer specs only repeat the same fields
  return 0;
}
