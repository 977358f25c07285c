// Classes of measured values: where a sample of pair figures (bandwidths, or latencies) splits
// into groups separated beyond their noise. The levels of a fabric make such classes; noise
// within a class, however wide, must not.
//
// Method, on the logarithms of the values (classes are ratios apart):
//   1. Candidates: the sorted values are cut recursively where the between-group variance is
//      largest (Otsu), down to chunks of about n/32 values; a chunk smaller than that is cut
//      further (sides of at least 2 x minCount) only where its best cut separates (the test of
//      step 2), so a class of a few pairs among millions (the pairs inside the racks of a
//      2,048-host fabric are 0.1% of them) is a candidate, and noise is not cut finer.
//   2. Merging: adjacent chunks are merged, closest first, until every pair of neighbours is
//      separated: their medians differ by at least minSeparation x sigma (the effect size) and
//      by at least minZ standard errors of the difference of the two medians (so a class of two
//      pairs needs more than one of fifty). sigma is the larger of the groups' pooled robust
//      spread (1.4826 x MAD) and the measurement noise of one pair's median: its samples' spread
//      ((ln p90 - ln p10) / 2.563) x 1.2533 / sqrt(samples), the median over the pairs.
// A class of uniform noise cut into chunks has neighbours about 2.7 sigma apart and merges
// back; 2:1 classes with +-10% noise are about 12 sigma apart and stay split.
#pragma once

#include <cstdint>
#include <vector>

namespace topoplan {

struct MeasuredValue {
  double value = 0;           // > 0
  double p10 = 0, p90 = 0;    // the samples' spread (0: unknown)
  std::uint64_t samples = 0;  // 0: unknown
};

struct SplitRule {
  double minSeparation = 5;  // effect size, in sigmas
  double minZ = 4;           // significance of the difference of the medians, in standard errors
  int minCount = 2;          // values per class, at least
};

struct ValueClass {
  double median = 0, p10 = 0, p90 = 0;  // of the values in it
  double low = 0, high = 0;             // its smallest and largest value
  std::size_t count = 0;
};

struct ClassSplit {
  std::vector<ValueClass> classes;  // ascending
  std::vector<double> thresholds;   // between neighbours: the geometric mean of the gap's ends
  std::vector<double> separations;  // per threshold: the effect size of that split (sigmas)
  double sigma = 0;                 // the noise floor used (log units)
};

ClassSplit splitClasses(const std::vector<MeasuredValue>& values, const SplitRule& rule = {});

}  // namespace topoplan
