// The verify job: a plan's candidates measured one after another on the ranks of their hosts,
// beside their predictions.
#pragma once

#include <string>
#include <vector>

#include "cli/jobs/mpi_job.h"
#include "report/documents/plan_document.h"
#include "report/documents/verify_document.h"

namespace topoplan {

struct VerifyOptions {
  std::string plan;
  std::string algo = "ring";
  int warmup = 3;
  int iters = 10;
  double alpha = 0.05;
  double tolerance = -1;  // percent; negative: not checked
  double timeout = 0;     // 0: from the plan's bytes
  std::string json;
};

// One host set to measure: the candidates that share it measure it once.
struct VerifyCandidate {
  PlannedPlacement placement;
  std::string sameAs;  // an earlier candidate with the same hosts
};

// What the options resolve to before MPI starts; errors are bad input (exit 2).
struct VerifyPlan {
  PlanRecord plan;
  std::vector<VerifyCandidate> candidates;  // the gang, its alternatives, the baselines
  double timeoutSeconds = 0;
};
// The ranks that measure a candidate: up to `perHost` ranks of each of its hosts, in rank order;
// the hosts no rank was launched on, and the fewest ranks any host got.
struct CandidateRanks {
  std::vector<int> ranks;
  std::vector<std::string> missing;
  int fewest = 0;
};
CandidateRanks candidateRanks(const std::vector<std::string>& hosts,
                              const std::vector<std::string>& rankHosts,
                              const std::vector<int>& localRanks, int perHost);

// Measures every candidate of the plan on every rank of the job; `run` holds what the options
// say and gets each candidate's figures or why it has none. An error stops the job (the
// candidates measured before it stay in `run`).
Status runVerifyJob(MpiJob& job, const VerifyPlan& plan, const VerifyOptions& options,
                    VerifyRun& run);

}  // namespace topoplan
