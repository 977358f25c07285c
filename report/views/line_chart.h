// Inline SVG line charts for the HTML report: one polyline per series over shared axes, a
// legend below. The x axis is linear or log2; tick labels come from a formatter.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace topoplan {

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in the given order
};

struct ChartAxes {
  std::string id;  // the svg element's id
  std::string xLabel, yLabel;
  bool logX = false;
  std::function<std::string(double)> xTick;  // a tick's label (default: %.3g)
  double yMax = 0;                           // 0: the largest y
};

// Empty when there is no point to draw.
std::string lineChart(const ChartAxes& axes, const std::vector<ChartSeries>& series);

}  // namespace topoplan
