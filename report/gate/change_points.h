// Where a metric shifted over a history of runs (each run's figure one value, in run order).
//
// The likelihood-ratio test of one shift in the mean (D. V. Hinkley, "Inference about the
// change-point in a sequence of random variables", Biometrika 57(1), 1970) on the log values: the
// change point is the split t that explains most of the variance, the largest
// t (n - t) / n x (mean before - mean after)^2, and that largest value is the statistic. Its
// p-value comes from permutations of the series (a fixed seed, so a history always gives the same
// answer; no normality assumed) rather than the asymptotic distribution, which is loose for the
// short histories CI keeps. Rank statistics (Pettitt's) were tried and mislocate a clean step
// by one run whenever the first run after it is the largest of its segment. The first change point
// of every metric is tested together, the p-values adjusted (Holm by default); a metric whose first
// change point holds is split there and each side searched again at alpha (binary
// segmentation), down to segments of 2 * min_segment runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/gate/metrics.h"

namespace topoplan {

struct ChangePointSettings {
  double alpha = 0.05;
  std::string correction = "holm";  // over the metrics' first change points: holm, bh or none
  int permutations = 1999;
  int minSegment = 3;  // runs on each side of a change point
  std::uint64_t seed = 20261205;
};

struct ChangePoint {
  std::string key, unit;
  int run = 0;         // index in the history of the first run after the shift
  std::string source;  // that run's source
  double before = 0;   // median of the segment's runs before it
  double after = 0;    // and from it on
  double change = 0;   // after / before - 1
  double p = 1;        // permutation p, adjusted for the metrics at the first split
  int runsBefore = 0, runsAfter = 0;
};

// The change points of every metric, in metric order and, within one, by run.
std::vector<ChangePoint> findChangePoints(const std::vector<MetricSet>& runs,
                                          const ChangePointSettings& settings);

// The same series alone (for tests): the index of the most likely change point and its
// permutation p (1 where the series is too short).
struct ShiftTest {
  int index = 0;  // first element after the shift
  double statistic = 0;
  double p = 1;
};
ShiftTest meanShift(const std::vector<double>& series, int permutations, std::uint64_t seed,
                    int minSegment);

}  // namespace topoplan
