// Sample statistics for repeated measurements.
#pragma once

#include <cstdint>
#include <vector>

namespace topoplan {

// Summary of a sample. Quantiles interpolate linearly between order statistics
// (Hyndman-Fan type 7, as numpy's default). cv = standard deviation / mean.
struct SampleStats {
  double median = 0;
  double p10 = 0;
  double p90 = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  double cv = 0;
  std::uint64_t samples = 0;
};

// Summarizes `values`; an empty sample gives all zeros and samples == 0.
SampleStats summarize(std::vector<double> values);

// The q-quantile (0 <= q <= 1) of an already sorted, non-empty sample.
double quantileSorted(const std::vector<double>& sorted, double q);

}  // namespace topoplan
