#include "cli/jobs/verify_job.h"

#include <algorithm>
#include <climits>
#include <cstdio>

#include "allreduce/mpi/mpi_allreduce.h"
#include "allreduce/nccl/nccl_allreduce.h"
#include "allreduce/registry.h"
#include "allreduce/sweep.h"
#include "core/units.h"
#include "probes/transport/mpi_comm.h"

namespace topoplan {
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

CandidateRanks candidateRanks(const std::vector<std::string>& hosts,
                              const std::vector<std::string>& rankHosts,
                              const std::vector<int>& localRanks, int perHost) {
  CandidateRanks c;
  c.fewest = INT_MAX;
  for (const std::string& host : hosts) {
    int count = 0;
    for (std::size_t r = 0; r < rankHosts.size(); ++r) {
      if (rankHosts[r] == host && localRanks[r] < perHost) {
        c.ranks.push_back(static_cast<int>(r));
        ++count;
      }
    }
    if (count == 0) c.missing.push_back(host);
    c.fewest = std::min(c.fewest, count);
  }
  std::sort(c.ranks.begin(), c.ranks.end());
  if (hosts.empty()) c.fewest = 0;
  return c;
}

Status runVerifyJob(MpiJob& job, const VerifyPlan& plan, const VerifyOptions& o, VerifyRun& run) {
  MpiComm& world = job.comm();
  const bool root = job.root();
  const std::vector<std::string>& rankHosts = job.rankHosts();
  const std::vector<int> localRanks = job.localRanks();
  const int perHost = plan.plan.gpusPerHost > 0 ? plan.plan.gpusPerHost : INT_MAX;
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
    if (!candidate.sameAs.empty()) continue;
    VerifiedCandidate& current = run.candidates.back();
    // G ranks per host as the gang asks; fewer where fewer were launched.
    const CandidateRanks ranks = candidateRanks(p.hosts, rankHosts, localRanks, perHost);
    if (!ranks.missing.empty()) {
      current.note =
          "not measured: no rank was launched on " + ranks.missing.front() +
          (ranks.missing.size() > 1 ? " and " + std::to_string(ranks.missing.size() - 1) + " more"
                                    : "");
      continue;
    }
    if (plan.plan.gpusPerHost > 0 && ranks.fewest < plan.plan.gpusPerHost) {
      current.note = std::to_string(ranks.fewest) + " rank(s) on some host, of the " +
                     std::to_string(plan.plan.gpusPerHost) +
                     " per host the gang asks (fewer launched)";
    }
    world.setActivity("verify " + p.name);
    if (root)
      std::fprintf(stderr, "topoplan verify: %s on %zu ranks\n", p.name.c_str(),
                   ranks.ranks.size());
    std::string note;
    auto record = measureOn(job, ranks.ranks, plan, o, note);
    if (!record) return record.error().context("verify " + p.name);
    if (!note.empty()) current.note = note;
    if (record->samples_us.empty()) continue;
    const int count = static_cast<int>(ranks.ranks.size());
    current.ranks = count;
    current.samplesUs = record->samples_us;
    current.timeUs = record->time_us;
    current.busbwGbps =
        gbps(run.bytes, current.timeUs.median / kMicrosPerSecond) * allreduceBusFactor(count);
  }
  return okStatus();
}

}  // namespace topoplan
