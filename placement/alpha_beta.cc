#include "placement/alpha_beta.h"

#include <algorithm>

namespace topoplan {

Result<AlphaBeta> fitAlphaBeta(const std::vector<SweepPoint>& points, const std::string& what) {
  const double n = static_cast<double>(points.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const SweepPoint& p : points) {
    const double x = static_cast<double>(p.bytes);
    sx += x;
    sy += p.timeUs;
    sxx += x * x;
    sxy += x * p.timeUs;
  }
  const double denominator = n * sxx - sx * sx;
  if (points.size() < 2 || denominator <= 0) {
    return Error(what +
                 ": size sweep needs two or more distinct sizes to fit latency and bandwidth");
  }
  const double slope = (n * sxy - sx * sy) / denominator;  // us per byte
  if (!(slope > 0))
    return Error(what + ": time does not grow with size, expected a positive slope");
  const double intercept = (sy - slope * sx) / n;
  return AlphaBeta{std::max(0.0, intercept), 1.0 / (slope * 1e3)};
}

}  // namespace topoplan
