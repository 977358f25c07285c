// The topoplan.verify/v1 document: a plan's candidates (the recommended gang, its alternatives,
// the baselines) measured on the cluster, beside what the plan predicted.
//
// The verdict (verify_verdict.h) is a record here: the comparisons and the failures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/interruption.h"
#include "core/result.h"
#include "core/stats.h"

namespace topoplan {

struct VerifiedCandidate {
  std::string name;  // "gang", "alternative-K", or the baseline's name
  std::vector<std::string> hosts;
  std::string domain;
  double predictedTimeUs = 0, predictedBusbwGbps = 0;
  int ranks = 0;                  // that ran it (0: not measured)
  std::string sameAs;             // measured once: the candidate with the same hosts
  std::vector<double> samplesUs;  // each timed iteration (the slowest rank's), in order
  SampleStats timeUs;
  double busbwGbps = 0;  // from the median time, as nccl-tests defines it
  std::string note;      // fewer ranks per host than the gang asks, and so on
  // (predicted - measured) / measured busbw, in percent.
  double errorPct() const;
};

struct VerifyRun {
  std::vector<std::string> argv;
  std::string plan, cluster, pattern, algo;
  std::uint64_t bytes = 0;
  int warmup = 0, iters = 0, hostsAsked = 0, gpusPerHost = 0;
  double alpha = 0.05;
  std::optional<double> tolerancePct;
  std::vector<VerifiedCandidate> candidates;
  std::vector<std::string> rankHosts;
  std::optional<Interruption> interruption;

  // What candidate c was measured as (itself, or the one with the same hosts); null when it was
  // not measured.
  const VerifiedCandidate* measuredAs(const VerifiedCandidate& c) const;
};

// The gang against each other measured candidate.
struct GangComparison {
  std::string other;
  double speedup = 0;  // the other's median time / the gang's (> 1: the gang is faster)
  double p = 1;        // Holm-adjusted
  bool gangSlower = false;
};

struct VerifyVerdict {
  std::vector<GangComparison> comparisons;
  std::vector<std::string> failures;  // why the check failed (empty: it passed)
};

nlohmann::ordered_json verifyDocument(const VerifyRun& run, const VerifyVerdict& verdict);
// The table on stdout: each candidate's predicted and measured time and busbw, the error.
std::string verifyText(const VerifyRun& run, const VerifyVerdict& verdict);

// Reads a verify document back (calibration, the report); errors name the source and field.
Result<VerifyRun> readVerifyDocument(const nlohmann::ordered_json& document,
                                     const std::string& source);

}  // namespace topoplan
