#include "report/views/line_chart.h"

#include <algorithm>
#include <cmath>

#include "core/units.h"
#include "report/gate/compare.h"

namespace topoplan {
namespace {

const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                               "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

}  // namespace

std::string lineChart(const ChartAxes& axes, const std::vector<ChartSeries>& series) {
  double minX = 1e300, maxX = -1e300, maxY = 0;
  bool any = false;
  for (const ChartSeries& s : series) {
    for (const auto& [x, y] : s.points) {
      if (axes.logX && !(x > 0)) continue;
      any = true;
      minX = std::min(minX, x);
      maxX = std::max(maxX, x);
      maxY = std::max(maxY, y);
    }
  }
  if (!any) return "";
  if (axes.yMax > 0) maxY = axes.yMax;
  if (maxY <= 0) maxY = 1;
  const auto scale = [&](double x) { return axes.logX ? std::log2(x) : x; };
  const double x0 = scale(minX), x1 = std::max(scale(maxX), x0 + (axes.logX ? 1 : 1e-9));
  const double w = 760, h = 380, left = 72, right = 20, top = 20, bottom = 50;
  auto px = [&](double x) { return left + (scale(x) - x0) / (x1 - x0) * (w - left - right); };
  auto py = [&](double y) { return h - bottom - y / maxY * (h - top - bottom); };
  std::string svg = "<svg class=\"plot\" id=\"" + xmlEscape(axes.id) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + formatted("%.0f", w) +
                    "\" height=\"" + formatted("%.0f", h) + "\">\n";
  svg += "<rect x=\"" + formatted("%.0f", left) + "\" y=\"" + formatted("%.0f", top) +
         "\" width=\"" + formatted("%.0f", w - left - right) + "\" height=\"" +
         formatted("%.0f", h - top - bottom) + "\" fill=\"none\" stroke=\"#999\"/>\n";
  std::vector<double> ticks;  // in the scaled coordinate
  if (axes.logX) {
    for (double e = std::ceil(x0); e <= x1; e += std::max(1.0, std::ceil((x1 - x0) / 10)))
      ticks.push_back(e);
  } else {
    for (int i = 0; i <= 5; ++i) ticks.push_back(x0 + (x1 - x0) * i / 5);
  }
  for (double tick : ticks) {
    const double value = axes.logX ? std::exp2(tick) : tick;
    const double x = px(value);
    svg += "<line x1=\"" + formatted("%.1f", x) + "\" x2=\"" + formatted("%.1f", x) + "\" y1=\"" +
           formatted("%.0f", h - bottom) + "\" y2=\"" + formatted("%.0f", h - bottom + 5) +
           "\" stroke=\"#999\"/><text x=\"" + formatted("%.1f", x) + "\" y=\"" +
           formatted("%.0f", h - bottom + 18) + "\" text-anchor=\"middle\">" +
           xmlEscape(axes.xTick ? axes.xTick(value) : formatted("%.3g", value)) + "</text>\n";
  }
  for (int i = 0; i <= 5; ++i) {
    const double y = maxY * i / 5;
    svg += "<text x=\"" + formatted("%.0f", left - 6) + "\" y=\"" + formatted("%.1f", py(y) + 4) +
           "\" text-anchor=\"end\">" + formatted("%.3g", y) + "</text><line x1=\"" +
           formatted("%.0f", left) + "\" x2=\"" + formatted("%.0f", w - right) + "\" y1=\"" +
           formatted("%.1f", py(y)) + "\" y2=\"" + formatted("%.1f", py(y)) +
           "\" stroke=\"#eee\"/>\n";
  }
  svg += "<text x=\"" + formatted("%.0f", (left + w - right) / 2) + "\" y=\"" +
         formatted("%.0f", h - 10) + "\" text-anchor=\"middle\">" + xmlEscape(axes.xLabel) +
         "</text>\n";
  svg += "<text transform=\"rotate(-90)\" x=\"" + formatted("%.0f", -(top + h - bottom) / 2) +
         "\" y=\"16\" text-anchor=\"middle\">" + xmlEscape(axes.yLabel) + "</text>\n";
  std::string legend = "<ul class=\"legend\">\n";
  int i = 0;
  for (const ChartSeries& s : series) {
    const char* color = kColors[i++ % 10];
    std::string d;
    for (const auto& [x, y] : s.points) {
      if (axes.logX && !(x > 0)) continue;
      d += (d.empty() ? "M" : " L") + formatted("%.1f", px(x)) + "," + formatted("%.1f", py(y));
    }
    svg += "<path class=\"series\" data-series=\"" + xmlEscape(s.name) + "\" data-points=\"" +
           std::to_string(s.points.size()) + "\" d=\"" + d + "\" fill=\"none\" stroke=\"" + color +
           "\" stroke-width=\"2\"><title>" + xmlEscape(s.name) + "</title></path>\n";
    legend += "<li><span style=\"background:" + std::string(color) + "\"></span>" +
              xmlEscape(s.name) + "</li>\n";
  }
  return svg + "</svg>\n" + legend + "</ul>\n";
}

}  // namespace topoplan
