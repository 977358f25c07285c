// Fuzz target: run histories (topoplan.run/v1 JSON Lines), then everything compare does with
// them: a history against its last run, the runs as interleaved pairs, change points.
#include "report/gate/run_history.h"
#include "report/gate/change_points.h"
#include "report/gate/run_level_compare.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  auto runs = parseHistory(std::string(fuzz::text(data, size)), "fuzz");
  if (!runs || runs->size() < 2) return 0;
  const std::vector<MetricSet> baselines(runs->begin(), runs->end() - 1);
  (void)compareText(compareHistory(baselines, {runs->back()}, CompareSettings{}));
  const std::size_t half = runs->size() / 2;
  (void)compareDocument(
      comparePaired({runs->begin(), runs->begin() + half},
                    {runs->begin() + half, runs->begin() + 2 * half}, CompareSettings{}),
      {});
  ChangePointSettings settings;
  settings.permutations = 19;
  (void)findChangePoints(*runs, settings);
  for (const MetricSet& run : *runs) (void)historyLine(run, "");
  return 0;
}
