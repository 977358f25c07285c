#include "cli/verify_command.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <map>
#include <set>

#include "allreduce/mpi/mpi_allreduce.h"
#include "allreduce/nccl/nccl_allreduce.h"
#include "allreduce/registry.h"
#include "allreduce/sweep.h"
#include "cli/exit_codes.h"
#include "cli/jobs/mpi_job.h"
#include "cli/option_checks.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/units.h"
#include "report/verify_document.h"

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

namespace {

// The algorithm on a candidate's communicator; null with `waived` when it cannot run there.
Result<std::unique_ptr<AllreduceAlgorithm>> makeAlgorithm(const std::string& algo, MpiComm& comm,
                                                          MpiJob& job, double timeoutSeconds,
                                                          std::string& waived) {
  const BlockingGuard guard = [&job](const std::string& what, const std::function<Status()>& call) {
    return job.blocking(what, call);
  };
  if (algo == "mpi")
    return std::unique_ptr<AllreduceAlgorithm>(
        std::make_unique<MpiAllreduce>(comm.native(), guard));
  if (algo != "nccl") return makeOwnAlgorithm(algo);
  auto localRank = job.sharedMemoryRank();
  if (!localRank) return localRank.error();
  auto setup = setUpNccl(comm, *localRank, timeoutSeconds, guard);
  if (!setup) return setup.error();
  waived = setup->waived;
  return std::move(setup->algorithm);
}

// Runs the collective on the ranks in `participants` (the others wait quietly); every rank
// returns the measured record (samples empty when it could not run, with `note` saying why).
Result<AllreduceRecord> measureOn(MpiJob& job, const std::vector<int>& participants,
                                  const VerifyPlan& plan, const VerifyOptions& o,
                                  std::string& note) {
  MpiComm& world = job.comm();
  const bool in =
      std::find(participants.begin(), participants.end(), world.rank()) != participants.end();
  MPI_Comm native = MPI_COMM_NULL;
  TOPOPLAN_TRY(job.blocking("MPI_Comm_split (the candidate's ranks)", [&]() -> Status {
    TOPOPLAN_MPI_TRY(MPI_Comm_split(world.native(), in ? 0 : MPI_UNDEFINED, world.rank(), &native));
    return okStatus();
  }));
  std::vector<double> mine(static_cast<std::size_t>(o.iters) + 1, 0.0);  // samples, then ok
  Status measured = okStatus();
  if (in) {
    MpiComm comm(native, world.policy());
    std::string waived;
    auto algorithm = makeAlgorithm(o.algo, comm, job, plan.timeoutSeconds, waived);
    if (!algorithm) {
      measured = algorithm.error();
    } else if (*algorithm) {
      SweepConfig config{plan.plan.bytes, plan.plan.bytes};
      config.warmup = o.warmup;
      config.iters = o.iters;
      config.inPlace = false;
      auto records = runSweep(comm, **algorithm, config);
      if (!records) {
        measured = records.error();
      } else if (!records->empty()) {
        std::copy(records->front().samples_us.begin(), records->front().samples_us.end(),
                  mine.begin());
        mine.back() = 1;
      }
    } else if (world.rank() == participants.front()) {
      note = "waived: " + waived;
    }
    MPI_Comm_free(&native);
  }
  if (!measured) return measured.error();
  // Everyone learns the first participant's samples (every participant holds the same).
  auto all = world.allgatherValues(mine);
  if (!all) return all.error().context("gathering the candidate's times");
  AllreduceRecord record;
  const auto from = static_cast<std::size_t>(participants.front()) * mine.size();
  if ((*all)[from + mine.size() - 1] == 1) {
    record.samples_us.assign(all->begin() + static_cast<long>(from),
                             all->begin() + static_cast<long>(from + mine.size() - 1));
    record.time_us = summarize(record.samples_us);
  }
  return record;
}

}  // namespace

Result<int> runVerify(const VerifyPlan& plan, const VerifyOptions& o, MpiSession& session,
                      const std::vector<std::string>& argv) {
  auto job = MpiJob::start(session, plan.timeoutSeconds);
  if (!job) return job.error();
  MpiComm& world = (*job)->comm();
  const bool root = (*job)->root();
  const std::vector<std::string>& rankHosts = (*job)->rankHosts();
  const std::vector<int> localRanks = (*job)->localRanks();
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
  run.rankHosts = rankHosts;
  const int perHost = plan.plan.gpusPerHost > 0 ? plan.plan.gpusPerHost : INT_MAX;
  Status failed = okStatus();
  for (const VerifyCandidate& candidate : plan.candidates) {
    const PlannedPlacement& p = candidate.placement;
    VerifiedCandidate c;
    c.name = p.name;
    c.hosts = p.hosts;
    c.domain = p.domain;
    c.predictedTimeUs = p.predictedTimeUs;
    c.predictedBusbwGbps = p.predictedBusbwGbps;
    c.sameAs = candidate.sameAs;
    run.candidates.push_back(c);
    if (!candidate.sameAs.empty() || !failed) continue;
    VerifiedCandidate& current = run.candidates.back();
    // G ranks per host as the gang asks; fewer where fewer were launched.
    std::vector<int> participants;
    std::vector<std::string> missing;
    int fewest = INT_MAX;
    for (const std::string& host : p.hosts) {
      int count = 0;
      for (std::size_t r = 0; r < rankHosts.size(); ++r) {
        if (rankHosts[r] == host && localRanks[r] < perHost) {
          participants.push_back(static_cast<int>(r));
          ++count;
        }
      }
      if (count == 0) missing.push_back(host);
      fewest = std::min(fewest, count);
    }
    if (!missing.empty()) {
      current.note =
          "not measured: no rank was launched on " + missing.front() +
          (missing.size() > 1 ? " and " + std::to_string(missing.size() - 1) + " more" : "");
      continue;
    }
    std::sort(participants.begin(), participants.end());
    if (plan.plan.gpusPerHost > 0 && fewest < plan.plan.gpusPerHost) {
      current.note = std::to_string(fewest) + " rank(s) on some host, of the " +
                     std::to_string(plan.plan.gpusPerHost) +
                     " per host the gang asks (fewer launched)";
    }
    world.setActivity("verify " + p.name);
    if (root)
      std::fprintf(stderr, "topoplan verify: %s on %zu ranks\n", p.name.c_str(),
                   participants.size());
    std::string note;
    auto record = measureOn(**job, participants, plan, o, note);
    if (!record) {
      failed = record.error().context("verify " + p.name);
      break;
    }
    if (!note.empty()) current.note = note;
    if (record->samples_us.empty()) continue;
    const int ranks = static_cast<int>(participants.size());
    current.ranks = ranks;
    current.samplesUs = record->samples_us;
    current.timeUs = record->time_us;
    current.busbwGbps =
        gbps(run.bytes, current.timeUs.median / kMicrosPerSecond) * allreduceBusFactor(ranks);
  }
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
