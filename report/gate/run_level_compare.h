// Comparing runs, not iterations. Iterations of one run are not draws from the next run's
// distribution: the machine drifts between runs, so a test over iterations calls drift a
// regression. Here each run's figure (the median of its samples) is one value.
//
// History (compareHistory): baseline runs B1..Bk and candidate runs C1..Cm (usually m = 1). Per
// metric, in log scale, the two groups' means are compared by the two-sample t test with the
// baseline runs' standard deviation s as the spread (between-run noise; k - 1 degrees of freedom):
// t = (mean C - mean B) / (s sqrt(1/k + 1/m)). With m = 1 this is the t prediction interval of
// the next run. s is never taken below the candidate's own standard error of the median, from its
// samples (sqrt(pi/2) x their robust log spread / sqrt(n)), so that a history that happened to
// agree closely does not make the gate brittle. A metric in one baseline run only is judged as
// two runs are (compare.h); with one baseline run in all, the result notes that between-run noise
// is unknown.
//
// Paired (comparePaired): K interleaved pairs (A1, B1), ..., run in the order A B B A A B ...;
// d_i = log(B_i / A_i); the paired t test t = mean(d) / (sd(d) / sqrt(K)), K - 1 degrees of
// freedom. Drift that moves both runs of a pair alike cancels.
//
// In both, the p-values (two-sided, Boost.Math's Student's t) of all tested metrics are adjusted
// together (Holm by default); regressed when the drop exceeds the tolerance and the adjusted p is
// below alpha. When the change exceeds the tolerance but the p does not reach alpha, the metric is
// inconclusive if more runs (pairs) with the same spread would decide it, saying how many; if no
// number would (the change is inside the noise), unchanged.
#pragma once

#include <vector>

#include "report/gate/compare.h"

namespace topoplan {

CompareResult compareHistory(const std::vector<MetricSet>& baselines,
                             const std::vector<MetricSet>& candidates,
                             const CompareSettings& settings);

// a[i] and b[i] ran next to each other; a and b have the same length.
CompareResult comparePaired(const std::vector<MetricSet>& a, const std::vector<MetricSet>& b,
                            const CompareSettings& settings);

}  // namespace topoplan
