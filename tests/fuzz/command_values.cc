// Fuzz target: values given on the command line: sizes (64M), gang specs (16x8), patterns, data
// types and ops, synthetic cluster specs.
#include <algorithm>

#include "core/data_type.h"
#include "core/units.h"
#include "placement/gang.h"
#include "placement/synthetic.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

// The product of the counts in `text` (the numbers right after '=' or ':', saturating, a 0 taken
// as 1): a synthetic spec's host count at most.
double hostsAtMost(std::string_view text) {
  double product = 1;
  for (std::size_t at = text.find_first_of("=:"); at != std::string_view::npos;
       at = text.find_first_of("=:", at + 1)) {
    double count = 0;
    for (std::size_t i = at + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      count = std::min(count * 10 + (text[i] - '0'), 1e12);
    }
    product = std::min(product * std::max(count, 1.0), 1e12);  // gpu=0 does not make it 0
  }
  return product;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  const std::string_view text = fuzz::text(data, size);
  (void)parseSize(text, "--size");
  (void)parseGang(text);
  (void)parsePattern(text);
  (void)parseDataTypes(text);
  (void)parseReduceOps(text);
  // Specs are parsed in full; clusters are built up to 100000 hosts (the 1000000-host limit is
  // the tests' business: building that many takes 1.2 s, and far longer instrumented).
  if (size < 64 && hostsAtMost(text) <= 100000) (void)syntheticTopology(text);
  return 0;
}
