#include "cli/compare_command.h"

#include <cstdio>

#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/document.h"
#include "report/gate/change_points.h"
#include "report/gate/run_history.h"
#include "report/gate/run_level_compare.h"

namespace topoplan {

void addGateOptions(CLI::App& command, GateOptions& o) {
  command.add_option("--tolerance", o.tolerancePercent, "allowed drop, percent")
      ->capture_default_str()
      ->check(finiteIn(0.0, 100.0));
  command
      .add_option("--alpha", o.alpha,
                  "significance level: the chance of a false alarm over the whole run (Holm)")
      ->capture_default_str()
      ->check(finiteIn(1e-9, 0.5));
  command
      .add_option("--min-samples", o.minSamples,
                  "fewest samples per run for a test of two runs' samples; fewer: inconclusive")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  command
      .add_option("--correction", o.correction,
                  "for testing many metrics at once: holm (family-wise error), bh "
                  "(Benjamini-Hochberg, false discovery rate) or none")
      ->capture_default_str()
      ->check(CLI::IsMember({"holm", "bh", "none"}));
  command.add_option("--junit", o.junit,
                     "JUnit XML: one test case per metric (inconclusive ones skipped)");
  command.add_option("--markdown", o.markdown, "a Markdown summary for a CI job to post");
  command.add_option("--prometheus", o.prometheus,
                     "the current run's figures in the Prometheus text format");
  command.add_option("--json", o.json, "a topoplan.compare/v1 document");
}

Status checkGateOutputs(const GateOptions& o) {
  const std::pair<const std::string*, const char*> outputs[] = {{&o.junit, "--junit"},
                                                                {&o.markdown, "--markdown"},
                                                                {&o.prometheus, "--prometheus"},
                                                                {&o.json, "--json"}};
  for (const auto& [path, option] : outputs)
    if (!path->empty()) TOPOPLAN_TRY(checkOutputPath(*path, option));
  return okStatus();
}

CompareSettings gateSettings(const GateOptions& o) {
  return {o.tolerancePercent / 100, o.alpha, o.minSamples, o.correction, 10};
}

Status writeGateViews(const CompareResult& result, const GateOptions& o, const MetricSet& current,
                      const std::vector<std::string>& argv) {
  std::fputs(compareText(result).c_str(), stdout);
  if (!o.junit.empty()) TOPOPLAN_TRY(writeFileAtomic(o.junit, compareJunit(result)));
  if (!o.markdown.empty()) TOPOPLAN_TRY(writeFileAtomic(o.markdown, compareMarkdown(result)));
  if (!o.prometheus.empty()) TOPOPLAN_TRY(writeFileAtomic(o.prometheus, prometheusText(current)));
  if (!o.json.empty())
    TOPOPLAN_TRY(writeFileAtomic(o.json, compareDocument(result, argv).dump(2) + "\n"));
  return okStatus();
}

CLI::App* addCompareCommand(CLI::App& app, CompareOptions& o) {
  CLI::App* command = app.add_subcommand(
      "compare",
      "Compare runs metric by metric; exit 1 on a regression.\n"
      "RUNS are result documents (topoplan.allreduce/v1, topoplan.cluster/v1, nccl-tests logs "
      "and -J JSON), histories (JSON Lines that --record appends to) or directories of them, in "
      "run order. The last run (--candidates M: the last M) is the candidate, every earlier one a "
      "baseline run.\n"
      "Rule: the run is the unit. With two or more baseline runs each run's median per metric is "
      "one value, and the candidate is judged against the spread of the baseline runs (between-run "
      "noise) by a t test in log scale. With one baseline run between-run noise is unknown, and "
      "the output says so: where both runs kept their samples the sample sets are tested "
      "(Mann-Whitney U); without samples, regressed when the drop exceeds both the tolerance and "
      "the runs' (p90 - p10) / median. The p-values of all metrics are adjusted (--correction, "
      "Holm by default); regressed when the drop exceeds --tolerance and the adjusted p is below "
      "--alpha; inconclusive when the change exceeds the tolerance but more runs or samples "
      "are needed (it says how many). Missing and new metrics are listed and never fail.\n"
      "--history: where each metric shifted over the runs (a mean-shift test on log values, p by "
      "permutation), no verdict.");
  command->add_option("runs", o.inputs, "baseline runs, then the candidate")
      ->required()
      ->check(CLI::ExistingPath);
  command
      ->add_option("--candidates", o.candidates,
                   "how many of the last runs are the candidate (repeated runs of one build)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  command
      ->add_option("--window", o.window,
                   "the latest baseline runs the candidate is compared with; the history before "
                   "them calibrates the spread (a backtest)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1000000));
  CLI::Option* history = command->add_flag(
      "--history", o.history, "find the run at which each metric shifted (change points) instead");
  command
      ->add_option("--record", o.record,
                   "append the candidate run(s) to this history (JSON Lines) after comparing")
      ->excludes(history);
  addGateOptions(*command, o.gate);
  return command;
}

namespace {

Result<int> runChangePoints(const std::vector<MetricSet>& runs, const CompareOptions& o,
                            const std::vector<std::string>& argv) {
  ChangePointSettings settings;
  settings.alpha = o.gate.alpha;
  settings.correction = o.gate.correction;
  if (static_cast<int>(runs.size()) < 2 * settings.minSegment)
    return Error("--history: " + std::to_string(runs.size()) + " runs, expected at least " +
                 std::to_string(2 * settings.minSegment) + " (" +
                 std::to_string(settings.minSegment) + " on each side of a change)");
  const std::vector<ChangePoint> points = findChangePoints(runs, settings);
  std::printf(
      "# change points over %zu runs (%s ... %s)\n# method: mean shift in log values (Hinkley), p "
      "from %d "
      "permutations, first changes adjusted by %s over the metrics, then binary segmentation "
      "at alpha %.3g; at least %d runs each side\n",
      runs.size(), runs.front().source.c_str(), runs.back().source.c_str(), settings.permutations,
      settings.correction.c_str(), settings.alpha, settings.minSegment);
  std::printf("# %-5s %-24s %10s %10s %8s %8s %10s  metric\n", "run", "source", "before", "after",
              "change", "p", "confidence");
  nlohmann::ordered_json doc = makeDocumentHeader("changepoints", 1, argv, {});
  doc["runs"] = runs.size();
  doc["method"] = "mean-shift-permutation";
  doc["permutations"] = settings.permutations;
  doc["alpha"] = settings.alpha;
  doc["correction"] = settings.correction;
  doc["change_points"] = nlohmann::ordered_json::array();
  for (const ChangePoint& c : points) {
    std::printf("  %-5d %-24s %10.4g %10.4g %+7.1f%% %8.4f %9.1f%%  %s (%s)\n", c.run + 1,
                c.source.c_str(), c.before, c.after, 100 * c.change, c.p, 100 * (1 - c.p),
                c.key.c_str(), c.unit.c_str());
    doc["change_points"].push_back({{"metric", c.key},
                                    {"unit", c.unit},
                                    {"run", c.run + 1},
                                    {"source", c.source},
                                    {"before", c.before},
                                    {"after", c.after},
                                    {"change", c.change},
                                    {"p_value", c.p},
                                    {"runs_before", c.runsBefore},
                                    {"runs_after", c.runsAfter}});
  }
  std::printf("# %zu change point(s)\n", points.size());
  if (!o.gate.json.empty()) TOPOPLAN_TRY(writeFileAtomic(o.gate.json, doc.dump(2) + "\n"));
  return 0;
}

}  // namespace

Result<int> runCompare(const CompareOptions& o, const std::vector<std::string>& argv) {
  TOPOPLAN_TRY(checkGateOutputs(o.gate));
  if (!o.record.empty()) TOPOPLAN_TRY(checkOutputPath(o.record, "--record"));
  std::vector<MetricSet> runs;
  for (const std::string& input : o.inputs) {
    auto more = readRuns(input);
    if (!more) return more.error();
    runs.insert(runs.end(), more->begin(), more->end());
  }
  if (o.history) return runChangePoints(runs, o, argv);
  if (static_cast<int>(runs.size()) == o.candidates && !o.record.empty()) {
    // The first job of a history: nothing to compare against yet.
    for (const MetricSet& run : runs)
      if (run.incomplete.empty()) TOPOPLAN_TRY(appendHistory(o.record, run));
    std::printf("# no baseline run yet: recorded the candidate in %s; nothing compared\n",
                o.record.c_str());
    return 0;
  }
  if (static_cast<int>(runs.size()) < o.candidates + 1)
    return Error(std::to_string(runs.size()) + " run(s) in " + std::to_string(o.inputs.size()) +
                 " input(s), expected at least one baseline run and " +
                 std::to_string(o.candidates) + " candidate run(s)");
  const std::vector<MetricSet> baselines(runs.begin(), runs.end() - o.candidates);
  const std::vector<MetricSet> candidates(runs.end() - o.candidates, runs.end());
  for (const MetricSet& run : baselines)
    if (!run.incomplete.empty())
      return Error(run.source + ": an incomplete run (" + run.incomplete +
                   "): expected a complete baseline");
  CompareSettings settings = gateSettings(o.gate);
  settings.window = o.window;
  const CompareResult result = compareHistory(baselines, candidates, settings);
  if (result.count(Verdict::kMissing) + result.count(Verdict::kNew) ==
      static_cast<int>(result.items.size()))
    return Error("no metric of the baseline (" + baselines.back().source + ", " +
                 baselines.back().kind + ") matches one of the candidate (" +
                 candidates.back().source + ", " + candidates.back().kind +
                 "): nothing to compare");
  TOPOPLAN_TRY(writeGateViews(result, o.gate, candidates.back(), argv));
  int code = result.count(Verdict::kRegressed) > 0 ? 1 : 0;
  for (const MetricSet& run : candidates)
    if (!run.incomplete.empty()) {
      std::printf("# FAILED: %s is an incomplete run (%s)\n", run.source.c_str(),
                  run.incomplete.c_str());
      code = 1;
    }
  if (!o.record.empty()) {
    for (const MetricSet& run : candidates) {
      if (!run.incomplete.empty()) continue;  // an incomplete run is no baseline
      TOPOPLAN_TRY(appendHistory(o.record, run));
    }
    std::printf("# recorded the candidate in %s\n", o.record.c_str());
  }
  return code;
}

}  // namespace topoplan
