#include "cli/verify_command.h"

#include <algorithm>
#include <cstdio>

#include "allreduce/sweep.h"
#include "cli/exit_codes.h"
#include "cli/jobs/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "report/documents/verify_document.h"
#include "report/gate/verify_verdict.h"

namespace topoplan {

CLI::App* addVerifyCommand(CLI::App& app, VerifyOptions& o) {
  CLI::App* command = app.add_subcommand(
      "verify",
      "Under mpirun on the cluster's hosts: run the plan's collective on its recommended gang, its "
      "alternatives and its baselines in turn, and print the measured time and busbw beside the "
      "predicted. Exit 1 when the gang measures slower than another candidate beyond the noise of "
      "the two (two-sided Mann-Whitney U at --alpha, Holm-corrected), or its prediction is off by "
      "more than --tolerance");
  command->add_option("--plan", o.plan, "a topoplan.plan/v1 document")->required();
  command
      ->add_option("--algo", o.algo,
                   "ring, tree (topoplan's own, over MPI point-to-point), mpi (MPI_Allreduce) or "
                   "nccl; the plan's pattern must be ring or tree")
      ->capture_default_str()
      ->check(CLI::IsMember({"ring", "tree", "mpi", "nccl"}));
  command->add_option("-w,--warmup_iters", o.warmup, "untimed iterations per candidate")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  command->add_option("-n,--iters", o.iters, "timed iterations per candidate")
      ->capture_default_str()
      ->check(CLI::Range(2, 100000));
  command->add_option("--alpha", o.alpha, "significance of 'slower'")
      ->capture_default_str()
      ->check(finiteIn(1e-6, 0.5));
  command->add_option("--tolerance", o.tolerance,
                      "also fail when the gang's predicted busbw is off by more than this percent");
  command
      ->add_option("--timeout", o.timeout,
                   "seconds any one wait may last before the job ends (exit 3); default: 30 + 4 x "
                   "the plan's bytes at 10 MB/s")
      ->check(finiteIn(0.1, 86400.0));
  command->add_option("--json", o.json, "write a topoplan.verify/v1 document here");
  return command;
}

Result<VerifyPlan> planVerify(const VerifyOptions& o) {
  if (o.tolerance != -1 && !(o.tolerance >= 0 && o.tolerance <= 1e6))
    return Error("--tolerance: expected a percent from 0");
  VerifyPlan verify;
  auto plan = readPlanFile(o.plan);
  if (!plan) return plan.error();
  verify.plan = std::move(*plan);
  const PlanRecord& p = verify.plan;
  if (!p.gang) {
    return Error(o.plan + ".gang: the plan has no gang" +
                 (p.whyNone.empty() ? "" : " (" + p.whyNone + ")") + ": nothing to verify");
  }
  if (p.pattern != "ring" && p.pattern != "tree") {
    return Error(o.plan + ".request.pattern: '" + p.pattern +
                 "': verify runs AllReduce, expected a plan for ring or tree");
  }
  if ((o.algo == "ring" || o.algo == "tree") && o.algo != p.pattern) {
    return Error("--algo " + o.algo + ": the plan predicts a " + p.pattern + "; expected --algo " +
                 p.pattern + ", mpi or nccl");
  }
  if (p.bytes == 0) return Error(o.plan + ".request.bytes: expected a size above 0");
  TOPOPLAN_TRY(checkBuffers(SweepConfig{p.bytes, p.bytes}));
  // The gang first, then its alternatives and the baselines; a host set measured once.
  std::map<std::vector<std::string>, std::string> seen;
  auto add = [&](const PlannedPlacement& placement) {
    std::vector<std::string> key = placement.hosts;
    std::sort(key.begin(), key.end());
    auto [at, added] = seen.try_emplace(key, placement.name);
    verify.candidates.push_back({placement, added ? "" : at->second});
  };
  add(*p.gang);
  for (const PlannedPlacement& alternative : p.alternatives) add(alternative);
  for (const PlannedPlacement& baseline : p.baselines) add(baseline);
  verify.timeoutSeconds =
      o.timeout > 0 ? o.timeout : defaultTimeoutSeconds(4.0 * static_cast<double>(p.bytes));
  if (!o.json.empty()) TOPOPLAN_TRY(checkOutputPath(o.json, "--json"));
  return verify;
}

Result<int> runVerify(const VerifyPlan& plan, const VerifyOptions& o, MpiSession& session,
                      const std::vector<std::string>& argv) {
  auto job = MpiJob::start(session, plan.timeoutSeconds);
  if (!job) return job.error();
  const bool root = (*job)->root();
  VerifyRun run;
  run.argv = argv;
  run.plan = o.plan;
  run.cluster = plan.plan.cluster;
  run.pattern = plan.plan.pattern;
  run.algo = o.algo;
  run.bytes = plan.plan.bytes;
  run.warmup = o.warmup;
  run.iters = o.iters;
  run.hostsAsked = plan.plan.hosts;
  run.gpusPerHost = plan.plan.gpusPerHost;
  run.alpha = o.alpha;
  if (o.tolerance >= 0) run.tolerancePct = o.tolerance;
  run.rankHosts = (*job)->rankHosts();
  // Every rank knows the job's hosts: a gang the job cannot run is bad usage, before any timing.
  std::vector<std::string> missing;
  for (const std::string& host : plan.plan.gang->hosts) {
    if (std::find(run.rankHosts.begin(), run.rankHosts.end(), host) == run.rankHosts.end())
      missing.push_back(host);
  }
  if (!missing.empty()) {
    if (root) {
      std::string names, launched;
      for (const std::string& host : missing) names += (names.empty() ? "" : ", ") + host;
      std::vector<std::string> hosts = run.rankHosts;
      std::sort(hosts.begin(), hosts.end());
      hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
      for (const std::string& host : hosts) launched += (launched.empty() ? "" : ", ") + host;
      std::fprintf(stderr,
                   "topoplan: error: %s.gang.hosts: %s not among the job's hosts (%s): launch "
                   "verify with ranks on every host of the gang\n",
                   o.plan.c_str(), names.c_str(), launched.c_str());
    }
    return kExitBadInput;
  }
  Status failed = runVerifyJob(**job, plan, o, run);
  if (!failed) run.interruption = (*job)->fail(failed.error());
  if (!root) return failed ? Result<int>(kExitOk) : Result<int>(Error(run.interruption->reason));
  const VerifyVerdict verdict = judge(run);
  if (!o.json.empty())
    TOPOPLAN_TRY(writeFileAtomic(o.json, verifyDocument(run, verdict).dump(2) + "\n"));
  if (!failed) {
    std::fprintf(stderr, "topoplan verify: the candidates measured before the failure written%s\n",
                 o.json.empty() ? "" : (" to " + o.json + " (marked incomplete)").c_str());
    return Error(run.interruption->reason);
  }
  std::fputs(verifyText(run, verdict).c_str(), stdout);
  if (!o.json.empty()) std::printf("# verify document written to %s\n", o.json.c_str());
  const bool anyMeasured = std::any_of(run.candidates.begin(), run.candidates.end(),
                                       [](const VerifiedCandidate& c) { return c.ranks > 0; });
  if (!anyMeasured) {
    std::fprintf(stderr, "topoplan: error: verify measured no candidate (see the notes above)\n");
    return kExitRuntime;
  }
  return verdict.failures.empty() ? kExitOk : kExitCheckFailed;
}

}  // namespace topoplan
