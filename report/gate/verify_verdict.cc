#include "report/gate/verify_verdict.h"

#include <cmath>
#include <cstdio>

#include "report/gate/significance.h"

namespace topoplan {

VerifyVerdict judge(const VerifyRun& run) {
  VerifyVerdict verdict;
  const VerifiedCandidate* gang = run.candidates.empty() || run.candidates.front().name != "gang"
                                      ? nullptr
                                      : run.measuredAs(run.candidates.front());
  if (!gang) {  // a document that measured no gang never says passed
    verdict.failures.push_back("the gang was not measured: nothing to compare");
    return verdict;
  }
  std::vector<double> p;
  for (std::size_t i = 1; i < run.candidates.size(); ++i) {
    const VerifiedCandidate* other = run.measuredAs(run.candidates[i]);
    // A candidate measured as another (the same hosts) is that one's test, not a new one.
    if (!other || other == gang || !run.candidates[i].sameAs.empty()) continue;
    GangComparison c;
    c.other = run.candidates[i].name;
    c.speedup = gang->timeUs.median > 0 ? other->timeUs.median / gang->timeUs.median : 0;
    p.push_back(mannWhitney(gang->samplesUs, other->samplesUs).p);
    verdict.comparisons.push_back(c);
  }
  const std::vector<double> adjusted = holm(p);
  for (std::size_t i = 0; i < verdict.comparisons.size(); ++i) {
    GangComparison& c = verdict.comparisons[i];
    c.p = adjusted[i];
  }
  // The candidates measured as another (not the gang's hosts) share its comparison.
  for (std::size_t i = 1; i < run.candidates.size(); ++i) {
    const VerifiedCandidate& c = run.candidates[i];
    if (c.sameAs == "gang") verdict.comparisons.push_back({c.name, 1.0, 1.0, false});
    if (c.sameAs.empty() || c.sameAs == "gang") continue;
    for (std::size_t k = 0; k < verdict.comparisons.size(); ++k) {
      if (verdict.comparisons[k].other != c.sameAs) continue;
      GangComparison copy = verdict.comparisons[k];
      copy.other = c.name;
      verdict.comparisons.push_back(copy);
      break;
    }
  }
  for (GangComparison& c : verdict.comparisons) {
    c.gangSlower = c.speedup < 1 && c.p < run.alpha;
    if (c.gangSlower) {
      char text[200];
      std::snprintf(text, sizeof text,
                    "the gang measures slower than %s (%.2fx its time, p = %.3g, Holm-adjusted)",
                    c.other.c_str(), 1 / c.speedup, c.p);
      verdict.failures.push_back(text);
    }
  }
  if (run.tolerancePct && std::fabs(gang->errorPct()) > *run.tolerancePct) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "the gang's predicted busbw (%.4g GB/s) is %+.1f%% off its measured %.4g GB/s, "
                  "beyond --tolerance %g%%",
                  gang->predictedBusbwGbps, gang->errorPct(), gang->busbwGbps, *run.tolerancePct);
    verdict.failures.push_back(text);
  }
  return verdict;
}

}  // namespace topoplan
