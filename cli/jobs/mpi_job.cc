#include "cli/jobs/mpi_job.h"

#include <cstdio>
#include <cstring>
#include <map>

namespace topoplan {

MpiJob::MpiJob(MPI_Comm world, double timeoutSeconds) : comm_(world, WaitPolicy{timeoutSeconds}) {
  if (timeoutSeconds <= 0) return;
  const bool root = comm_.rank() == 0;
  watchdog_ = std::make_unique<StallWatchdog>(
      root ? timeoutSeconds : timeoutSeconds + kGraceSeconds, [this, root](const std::string& why) {
        if (root && stallHandler_) stallHandler_(why);
        std::fprintf(stderr, "topoplan: rank %d: error: %s: %s\n", comm_.rank(),
                     comm_.activity().c_str(), why.c_str());
      });
}

Status MpiJob::blocking(const std::string& what, const std::function<Status()>& call) {
  if (watchdog_) watchdog_->arm(what);
  Status status = call();
  if (watchdog_) watchdog_->disarm();
  return status;
}

Result<int> MpiJob::sharedMemoryRank() {
  MPI_Comm local = MPI_COMM_NULL;
  int rank = 0;
  TOPOPLAN_TRY(blocking("MPI_Comm_split_type (the ranks of each host)", [&]() -> Status {
    TOPOPLAN_MPI_TRY(MPI_Comm_split_type(comm_.native(), MPI_COMM_TYPE_SHARED, comm_.rank(),
                                         MPI_INFO_NULL, &local));
    return okStatus();
  }));
  const int code = MPI_Comm_rank(local, &rank);
  MPI_Comm_free(&local);
  if (code != MPI_SUCCESS) return mpiError(code, "MPI_Comm_rank", __FILE__, __LINE__);
  return rank;
}

Result<std::unique_ptr<MpiJob>> MpiJob::start(const MpiSession& session, double timeoutSeconds) {
  std::unique_ptr<MpiJob> job(new MpiJob(session.world(), timeoutSeconds));
  job->comm_.setActivity("starting: every rank's host name");
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  TOPOPLAN_MPI_TRY(MPI_Get_processor_name(name, &length));
  auto all = job->comm_.allgatherValues(std::vector<char>(name, name + MPI_MAX_PROCESSOR_NAME));
  if (!all) return all.error().context("starting the job");
  for (int r = 0; r < job->comm_.size(); ++r) {
    const char* start = all->data() + static_cast<std::size_t>(r) * MPI_MAX_PROCESSOR_NAME;
    job->hosts_.emplace_back(start, strnlen(start, MPI_MAX_PROCESSOR_NAME));
  }
  job->comm_.setRankHosts(job->hosts_);
  Status rollCall = job->comm_.startRollCall();
  if (!rollCall) return rollCall.error().context("starting the job");
  job->comm_.setActivity("started");
  return job;
}

std::vector<int> MpiJob::localRanks() const {
  std::map<std::string, int> seen;
  std::vector<int> local;
  for (const std::string& host : hosts_) local.push_back(seen[host]++);
  return local;
}

Interruption MpiJob::fail(const Error& error) {
  Interruption ended{error.message(), {}};
  if (!root()) {
    comm_.awaitRankZero(kGraceSeconds, error.message());
    return ended;
  }
  const RollCallVerdict verdict = comm_.holdRollCall();
  ended.lostRanks = verdict.silent;
  if (!verdict.summary.empty()) ended.reason += "; roll call: " + verdict.summary;
  return ended;
}

double defaultTimeoutSeconds(double bytes) {
  return 30 + bytes / 10e6;
}

}  // namespace topoplan
