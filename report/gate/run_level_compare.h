// Comparing runs, not iterations. Iterations of one run are not draws from the next run's
// distribution: the machine drifts between runs, so a test over iterations calls drift a
// regression. Here each run's figure (the median of its samples) is one value.
//
// History (compareHistory): baseline runs B1..Bk in the order run, and candidate runs C1..Cm
// (usually m = 1). Per metric, in log scale:
// - With k >= w + m + 2 (w = settings.window, 10): the candidates' mean against the mean of the
//   latest w baseline runs. The spread is what the history itself shows for that prediction: the
//   root mean square error of "the mean of the w runs before predicts the mean of the next m" at
//   every earlier point (a backtest; n_e errors, n_e / m degrees of freedom), never below the
//   independent-runs figure s sqrt(1/w + 1/m). Real machines drift slowly and have runs that go
//   wrong; an independent-runs formula alone called that drift a regression in 12-24% of the
//   recorded A/A windows (bench/compare_power).
// - With fewer baseline runs: every baseline run against the candidates by the two-sample t test,
//   spread s pooled over both groups (k + m - 2 degrees of freedom), t = (mean C - mean B) /
//   (s sqrt(1/k + 1/m)); with m = 1 the t prediction interval of the next run.
// s is never taken below the candidate's own standard error of the median, from its samples
// (sqrt(pi/2) x their robust log spread / sqrt(n)). A metric in one baseline run only is judged
// as two runs are (compare.h); with one baseline run in all, the result notes that between-run
// noise is unknown.
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
