#include "cli/replay_command.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli/cluster_loader.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/units.h"
#include "report/views/html_report.h"

namespace topoplan {
namespace {

// "all", or policy names, each known and named once.
Result<std::vector<std::string>> policyList(const std::vector<std::string>& names) {
  if (names == std::vector<std::string>{"all"})
    return std::vector<std::string>(std::begin(kReplayPolicies), std::end(kReplayPolicies));
  std::vector<std::string> policies;
  for (const std::string& name : names) {
    if (std::find(std::begin(kReplayPolicies), std::end(kReplayPolicies), name) ==
        std::end(kReplayPolicies))
      return Error("--policy: '" + name +
                   "': expected all, or topoplan, topoplan-greedy, best-fit, spread, first-fit, "
                   "random separated by commas");
    if (std::find(policies.begin(), policies.end(), name) != policies.end())
      return Error("--policy: '" + name + "' is named twice");
    policies.push_back(name);
  }
  return policies;
}

}  // namespace

CLI::App* addReplayCommand(CLI::App& app, ReplayCommandOptions& o) {
  CLI::App* command = app.add_subcommand(
      "replay",
      "Replay a job trace on a cluster under placement policies: jobs arrive, wait in order, "
      "run as all-or-nothing gangs for their compute time plus the cost model's AllReduce time "
      "on the hosts they got, and free them; per policy JCT, queueing, makespan, utilization "
      "and fragmentation");
  command->add_option("--cluster", o.study.cluster, "the cluster (as for place)")->required();
  command
      ->add_option("--trace", o.study.trace,
                   "the jobs: the Acme Kalos CSV, CSV submit_s,nodes,gpus_per_node,duration_s"
                   "[,bytes_per_step][,priority][,team], or sacct --parsable2 -o "
                   "JobID,Submit,Start,End,NNodes,AllocTRES[,Priority][,Account]")
      ->required();
  command
      ->add_option("--policy", o.policies,
                   "all, or some of topoplan,topoplan-greedy,best-fit,spread,first-fit,random "
                   "(topoplan waits for a better gang when the job would end sooner there; "
                   "topoplan-greedy takes the best gang free now)")
      ->capture_default_str()
      ->delimiter(',');
  command
      ->add_option("--queue", o.queue,
                   "fifo, easy (EASY backfill), or fairshare (EASY backfill, waiting jobs "
                   "ordered by priority, then their team's fair-share factor as Slurm's "
                   "priority/multifactor computes it, then submission)")
      ->capture_default_str()
      ->check(CLI::IsMember({"fifo", "easy", "fairshare"}));
  command
      ->add_option("--fairshare-half-life-h", o.study.fairShareHalfLifeH,
                   "fair share: the half-life of a team's usage (Slurm's PriorityDecayHalfLife)")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 1e9));
  command
      ->add_option("--team-shares", o.teamShares,
                   "fair share: TEAM=SHARES,... (teams not named: 1 each)")
      ->delimiter(',');
  command
      ->add_option("--backfill-depth", o.study.backfillDepth,
                   "jobs backfill looks at behind the first (as Slurm's bf_max_job_test)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1'000'000));
  command
      ->add_option("--arrival-scale", o.study.arrivalScale,
                   "multiply submit times by this (0.5: jobs arrive twice as often)")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 1e6));
  command
      ->add_option("--step-s", o.study.traceOptions.stepS,
                   "compute seconds per AllReduce step, for traces that give bytes but not "
                   "steps")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 1e9));
  command
      ->add_option("--bytes-per-step", o.bytesPerStep,
                   "AllReduce size per step for traces that do not give one (0: none)")
      ->capture_default_str();
  command->add_option("--seed", o.study.seed, "seed of the random policy and of drawn failures")
      ->capture_default_str();
  command
      ->add_option("--mtbf-h", o.study.mtbfH,
                   "failures: mean hours between failures of each host (0: none drawn); a "
                   "failed host's jobs die whole and requeue")
      ->capture_default_str()
      ->check(finiteIn(0, 1e9));
  command->add_option("--mttr-h", o.study.mttrH, "failures: mean hours to repair a host")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 1e9));
  command
      ->add_option("--degraded-failure-factor", o.study.degradedFailureFactor,
                   "failures: degraded hosts fail this many times as often")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 1e6));
  command->add_option("--failure-log", o.study.failureLog,
                      "failures: CSV host,down_s,up_s (up_s empty: down to the end)");
  command
      ->add_option("--checkpoint-min", o.study.checkpointMin,
                   "minutes of run time between a job's checkpoints (0: none, a failed job "
                   "starts over)")
      ->capture_default_str()
      ->check(finiteIn(0, 1e9));
  command->add_flag("--preempt", o.study.preempt,
                    "whole-gang preemption: a waiting job that finds no gang stops running jobs "
                    "of lower priority (the trace's priority column) that its gang needs; they "
                    "lose the work since their last checkpoint and requeue");
  command->add_option("--json", o.json, "write a topoplan.replay/v1 document here");
  command->add_option("--html", o.html, "write an HTML page with the replay's curves here");
  command->add_option("--jobs-csv", o.jobsCsv,
                      "write every job's outcome under every policy here (CSV: policy, job, "
                      "submit, start, end and queueing in seconds, nodes, runs, hosts)");
  addClusterOptions(command, o.study.load);
  return command;
}

Result<int> runReplay(const ReplayCommandOptions& o, const std::vector<std::string>& argv) {
  if (!o.json.empty()) TOPOPLAN_TRY(checkOutputPath(o.json, "--json"));
  if (!o.html.empty()) TOPOPLAN_TRY(checkOutputPath(o.html, "--html"));
  if (!o.jobsCsv.empty()) TOPOPLAN_TRY(checkOutputPath(o.jobsCsv, "--jobs-csv"));
  ReplayStudy study = o.study;
  auto policies = policyList(o.policies);
  if (!policies) return policies.error();
  study.policies = *policies;
  study.backfill = o.queue != "fifo";
  study.jobRows = !o.jobsCsv.empty();
  study.fairShare = o.queue == "fairshare";
  for (const std::string& item : o.teamShares) {
    const std::size_t eq = item.find('=');
    double share = -1;
    if (eq != std::string::npos && eq > 0) {
      const char* end = item.data() + item.size();
      auto [at, ec] = std::from_chars(item.data() + eq + 1, end, share);
      if (ec != std::errc() || at != end || !std::isfinite(share)) share = -1;
    }
    if (!(share >= 0))
      return Error("--team-shares: '" + item + "': expected TEAM=SHARES with SHARES >= 0");
    study.teamShares[item.substr(0, eq)] = share;
  }
  if (!study.teamShares.empty() && !study.fairShare)
    return Error("--team-shares: only with --queue fairshare");
  auto bytes = parseSize(o.bytesPerStep, "--bytes-per-step");
  if (!bytes) return bytes.error();
  study.traceOptions.bytesPerStep = *bytes;
  auto report = runReplayStudy(study);
  if (!report) return report.error();
  std::fputs(report->calibrationNote.c_str(), stdout);
  std::fputs(replayTable(*report).c_str(), stdout);
  if (!o.json.empty()) {
    TOPOPLAN_TRY(writeFileAtomic(o.json, replayDocument(*report, argv).dump(2) + "\n"));
    std::printf("replay written to %s\n", o.json.c_str());
  }
  if (!o.jobsCsv.empty()) {
    TOPOPLAN_TRY(writeFileAtomic(o.jobsCsv, replayJobsCsv(*report)));
    std::printf("jobs written to %s\n", o.jobsCsv.c_str());
  }
  if (!o.html.empty()) {
    HtmlReport page;
    page.addReplay(o.json.empty() ? o.study.trace : o.json, *report);
    TOPOPLAN_TRY(writeFileAtomic(o.html, page.html("topoplan replay")));
    std::printf("report written to %s\n", o.html.c_str());
  }
  return 0;
}

}  // namespace topoplan
