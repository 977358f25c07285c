#include "cli/compare_command.h"

#include <cstdio>

#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "report/gate/compare.h"

namespace topoplan {

CLI::App* addCompareCommand(CLI::App& app, CompareOptions& o) {
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare two runs metric by metric; exit 1 on a regression.\n"
      "Inputs: topoplan.allreduce/v1 (busbw per algo, size, type, op, in/out-of-place), "
      "topoplan.cluster/v1 (bandwidth per link), or nccl-tests text logs and -J JSON.\n"
      "Rule: with change = (current - baseline) / baseline, where both runs kept their samples "
      "(samples_us, bw_samples_gbps) the two sample sets are tested (Mann-Whitney U) and the "
      "p-values of all metrics adjusted (--correction, Holm by default): a metric has regressed "
      "when the drop exceeds --tolerance and the adjusted p is below --alpha; inconclusive when "
      "the change exceeds the tolerance but the samples are too few to decide (it says how many "
      "are needed). Without samples (older documents, nccl-tests logs) no test is possible: "
      "regressed when the drop exceeds both the tolerance and the noise, the larger "
      "(p90 - p10) / median of the two runs. Missing and new metrics are listed and never "
      "fail.");
  command->add_option("baseline", o.baseline, "the reference run")->required();
  command->add_option("current", o.current, "the run under test")->required();
  command->add_option("--tolerance", o.tolerancePercent, "allowed drop, percent")
      ->capture_default_str()
      ->check(finiteIn(0.0, 100.0));
  command
      ->add_option("--alpha", o.alpha,
                   "significance level: the chance of a false alarm over the whole run (Holm)")
      ->capture_default_str()
      ->check(finiteIn(1e-9, 0.5));
  command
      ->add_option("--min-samples", o.minSamples,
                   "fewest samples per run for a test; fewer: inconclusive")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  command
      ->add_option("--correction", o.correction,
                   "for testing many metrics at once: holm (family-wise error), bh "
                   "(Benjamini-Hochberg, false discovery rate) or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"holm", "bh", "none"}));
  command->add_option("--junit", o.junit, "JUnit XML: one test case per metric");
  command->add_option("--markdown", o.markdown, "a Markdown summary for a CI job to post");
  command->add_option("--prometheus", o.prometheus,
                      "the current run's figures in the Prometheus text format");
  command->add_option("--json", o.json, "a topoplan.compare/v1 document");
  return command;
}

Result<int> runCompare(const CompareOptions& o, const std::vector<std::string>& argv) {
  const std::pair<const std::string*, const char*> outputs[] = {{&o.junit, "--junit"},
                                                                {&o.markdown, "--markdown"},
                                                                {&o.prometheus, "--prometheus"},
                                                                {&o.json, "--json"}};
  for (const auto& [path, option] : outputs) {
    if (!path->empty()) TOPOPLAN_TRY(checkOutputPath(*path, option));
  }
  auto baseline = readMetrics(o.baseline);
  if (!baseline) return baseline.error();
  if (!baseline->incomplete.empty()) {
    return Error(o.baseline + ": an incomplete run (" + baseline->incomplete +
                 "): expected a complete baseline");
  }
  auto current = readMetrics(o.current);
  if (!current) return current.error();
  const CompareResult result = compareMetrics(
      *baseline, *current, {o.tolerancePercent / 100, o.alpha, o.minSamples, o.correction});
  if (result.count(Verdict::kMissing) + result.count(Verdict::kNew) ==
      static_cast<int>(result.items.size())) {
    return Error("no metric of " + o.baseline + " (" + baseline->kind + ") matches one of " +
                 o.current + " (" + current->kind + "): nothing to compare");
  }
  std::fputs(compareText(result).c_str(), stdout);
  if (!o.junit.empty()) TOPOPLAN_TRY(writeFileAtomic(o.junit, compareJunit(result)));
  if (!o.markdown.empty()) TOPOPLAN_TRY(writeFileAtomic(o.markdown, compareMarkdown(result)));
  if (!o.prometheus.empty()) TOPOPLAN_TRY(writeFileAtomic(o.prometheus, prometheusText(*current)));
  if (!o.json.empty())
    TOPOPLAN_TRY(writeFileAtomic(o.json, compareDocument(result, argv).dump(2) + "\n"));
  if (!current->incomplete.empty()) {
    std::printf("# FAILED: %s is an incomplete run (%s)\n", o.current.c_str(),
                current->incomplete.c_str());
    return 1;
  }
  return result.count(Verdict::kRegressed) > 0 ? 1 : 0;
}

}  // namespace topoplan
