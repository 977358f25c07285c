#include "probes/modeled/modeled_rounds.h"

#include <algorithm>
#include <cmath>

#include "core/stats.h"

namespace topoplan {

ModeledRounds::ModeledRounds(const ModeledFabric& fabric) : fabric_(fabric), random_(fabric.seed) {}

PairOutcome ModeledRounds::measurePair(const ProbeConfig& config, int a, int b, double& turnSeconds,
                                       double& sizesSeconds) {
  const ModeledFabric::PairClass truth =
      fabric_.pairTruth(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
  const double latency = truth.latencyUs * 1e-6;
  const double bytesPerSecond = truth.bandwidthGbps * 1e9;
  std::uniform_real_distribution<double> noise(1 - fabric_.noisePct / 100,
                                               1 + fabric_.noisePct / 100);
  const double half = config.sizeBudgetSeconds / 2;
  auto count = [&](double each) {
    const double fit = std::floor(half / each);
    return static_cast<int>(std::clamp(fit, double(config.minIters), double(config.iters)));
  };
  PairOutcome outcome;
  turnSeconds = sizesSeconds = 0;
  for (std::size_t i = 0; i < config.sizes.size(); ++i) {
    const double bytes = static_cast<double>(config.sizes[i]);
    const double message = latency + bytes / bytesPerSecond;
    const double pingPong = 2 * message;
    const double fitsMinimum = half / (config.minIters * message);
    const int window = static_cast<int>(
        std::clamp(std::floor(fitsMinimum), 1.0, static_cast<double>(config.window)));
    const double sample = window * bytes / bytesPerSecond + 2 * latency;
    if (i > 0 && config.skipSlowSizes &&
        config.minIters * (pingPong + bytes / bytesPerSecond + 2 * latency) >
            ProbeConfig::kSkipFactor * config.sizeBudgetSeconds) {
      for (std::size_t j = i; j < config.sizes.size(); ++j)
        outcome.skippedSizes.push_back(config.sizes[j]);
      break;
    }
    const int latSamples = count(pingPong), bwSamples = count(sample);
    std::vector<double> lat, bw;
    for (int k = 0; k < latSamples; ++k)
      lat.push_back((latency * noise(random_) + bytes / bytesPerSecond) * 1e6);
    for (int k = 0; k < bwSamples; ++k)
      bw.push_back(window * bytes / (sample - latency) / 1e9 * noise(random_));
    const double latencySeconds = (1 + latSamples) * pingPong;
    (i == 0 ? turnSeconds : sizesSeconds) += latencySeconds;
    sizesSeconds += message + latency + bwSamples * sample + 2 * latency;  // warm-up, control
    SizeFigures figures;
    figures.bytes = config.sizes[i];
    figures.bwGbps = summarize(bw);
    figures.latUs = summarize(lat);
    figures.window = window;
    figures.budgetLimited = latSamples < config.iters || bwSamples < config.iters;
    figures.bwSamplesGbps = std::move(bw);
    outcome.sizes.push_back(std::move(figures));
  }
  return outcome;
}

Status ModeledRounds::measure(const ProbeConfig& config, const std::vector<Round>& rounds,
                              const std::string& /*phase*/, FiguresByPair& out) {
  const double ranks = std::max<double>(2, static_cast<double>(fabric_.hosts.size()));
  const double collective = 2 * std::log2(ranks) * fabric_.pairs.front().latencyUs * 1e-6;
  for (const Round& round : rounds) {
    double turns = 0, slowest = 0;
    for (const auto& [x, y] : round) {
      const int a = std::min(x, y), b = std::max(x, y);
      if (a < 0 || static_cast<std::size_t>(b) >= fabric_.hosts.size())
        return Error("modeled fabric: round pair " + std::to_string(a) + ", " + std::to_string(b) +
                     " names a rank with no host");
      double turn = 0, sizes = 0;
      out[{a, b}] = measurePair(config, a, b, turn, sizes);
      turns += turn;
      slowest = std::max(slowest, sizes);
    }
    seconds_ += turns + slowest + 4 * collective;
    ++rounds_;
  }
  return okStatus();
}

}  // namespace topoplan
