// Tests of the difference between two sample sets, and the control of false alarms over many.
//
// Mann-Whitney U (two-sided), as scipy.stats.mannwhitneyu computes it (the peer
// google/benchmark's compare.py calls): the pooled samples ranked with mid-ranks for ties;
// U1 = R1 - n1(n1+1)/2. With no ties and neither sample above 8 values, the exact distribution
// of U (counted by the recurrence f(u; m, k) = f(u - k; m - 1, k) + f(u; m, k - 1)); otherwise
// the normal approximation with the tie correction and a continuity correction of 0.5,
// z = (max(U1, U2) - n1 n2 / 2 - 0.5) / sigma, its tail from Boost.Math's normal distribution.
// p = 2 x the upper tail, at most 1.
//
// Holm: sorted ascending, p(k) adjusted to max over j <= k of min(1, (m - j + 1) p(j)); controls
// the chance of any false alarm among m tests (family-wise error). Benjamini-Hochberg: p(k)
// adjusted to min over j >= k of min(1, m p(j) / j); controls the share of false alarms among
// the alarms (false discovery rate).
#pragma once

#include <vector>

namespace topoplan {

struct UTest {
  double u1 = 0;  // the statistic of the first sample
  double p = 1;   // two-sided
  bool exact = false;
};

// Needs at least one value in each sample (p = 1 otherwise).
UTest mannWhitney(const std::vector<double>& x, const std::vector<double>& y);

// Adjusted p-values, in the order given.
std::vector<double> holm(const std::vector<double>& p);
std::vector<double> benjaminiHochberg(const std::vector<double>& p);

}  // namespace topoplan
