#include "probes/pair_probe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/units.h"

namespace topoplan {
namespace {

constexpr int kControlTag = 204;
constexpr int kTurnTag = 205;

// What the initiator tells the partner before a series: how many samples of how many messages
// (count 0: skip this size and the larger ones).
struct Control {
  std::int32_t count = 0;
  std::int32_t window = 1;
};

// Samples that fit in `seconds` at `each` seconds apiece, within [minIters, iters].
int samplesFitting(double seconds, double each, const ProbeConfig& config) {
  const double fit = each > 0 ? std::floor(seconds / each) : config.iters;
  return static_cast<int>(std::clamp<double>(fit, config.minIters, config.iters));
}

Result<Control> exchange(Comm& comm, int partner, bool initiator, Control control) {
  auto bytes = std::as_writable_bytes(std::span<Control>(&control, 1));
  if (initiator) {
    TOPOPLAN_TRY(comm.send(partner, bytes, kControlTag));
  } else {
    TOPOPLAN_TRY(comm.recvQuietly(partner, bytes, kControlTag));
  }
  return control;
}

// `warmups` ping-pongs of `bytes` (the last predicts the time of one), then as many as fit in
// `seconds` (within the sample counts): half round trips in microseconds (initiator) or nothing
// (partner).
Result<std::vector<double>> latencySeries(Comm& control, PairChannel& channel, int partner,
                                          bool initiator, std::uint64_t bytes, double seconds,
                                          const ProbeConfig& config, int warmups = 1) {
  Result<double> warm = 0.0;
  for (int i = 0; i < warmups; ++i) {
    warm = channel.pingPong(bytes);
    if (!warm) return warm.error();
  }
  auto series =
      exchange(control, partner, initiator, Control{samplesFitting(seconds, *warm, config), 1});
  if (!series) return series.error();
  std::vector<double> lat;
  for (int i = 0; i < series->count; ++i) {
    auto round = channel.pingPong(bytes);
    if (!round) return round.error();
    lat.push_back(*round * kMicrosPerSecond / 2);
  }
  return lat;
}

// Seconds one message of `bytes` takes, predicted from a smaller size's figures.
double predictedMessageSeconds(std::uint64_t bytes, const SizeFigures& smaller) {
  const double bw = smaller.bwGbps.median * kBytesPerGB;
  return (bw > 0 ? static_cast<double>(bytes) / bw : 0) + smaller.latUs.median / kMicrosPerSecond;
}

// The least a size costs: a warm-up and min-iters ping-pongs (two transfers each), a warm-up
// message and min-iters one-message samples.
double minimumSeconds(double messageSeconds, const ProbeConfig& config) {
  return messageSeconds * (3.0 + 3.0 * config.minIters);
}

}  // namespace

double ProbeConfig::pairSecondsAtMost() const {
  return static_cast<double>(sizes.size()) * kSkipFactor * sizeBudgetSeconds;
}

Result<SampleStats> measureLatency(Comm& control, PairChannel& channel, int partner, bool initiator,
                                   const ProbeConfig& config, const LatencyTurn& turn) {
  std::byte token{};
  if (initiator && turn.waitFor >= 0)
    TOPOPLAN_TRY(control.recvQuietly(turn.waitFor, std::span(&token, 1), kTurnTag));
  // The partner waits here, quietly, until the initiator has its turn.
  auto start = exchange(control, partner, initiator, Control{1, 1});
  if (!start) return start.error();
  const std::uint64_t bytes = config.sizes.front();
  TOPOPLAN_TRY(channel.beginSize(bytes));
  // Three warm-ups: the first round trips after a quiet spell wake the path's cores and caches.
  auto lat = latencySeries(control, channel, partner, initiator, bytes,
                           config.sizeBudgetSeconds / 2, config, 3);
  if (!lat) return lat.error();
  TOPOPLAN_TRY(channel.endSize());
  if (initiator && turn.passTo >= 0)
    TOPOPLAN_TRY(control.send(turn.passTo, std::span<const std::byte>(&token, 1), kTurnTag));
  return summarize(std::move(*lat));
}

Result<PairOutcome> measureSizes(Comm& control, PairChannel& channel, int partner, bool initiator,
                                 const ProbeConfig& config, const SampleStats& smallestLatency) {
  PairOutcome outcome;
  const double half = config.sizeBudgetSeconds / 2;
  for (std::size_t s = 0; s < config.sizes.size(); ++s) {
    const std::uint64_t bytes = config.sizes[s];
    // Skip: decided from the size below.
    Control go{1, 1};
    if (initiator && config.skipSlowSizes && !outcome.sizes.empty()) {
      const double each = predictedMessageSeconds(bytes, outcome.sizes.back());
      if (minimumSeconds(each, config) > ProbeConfig::kSkipFactor * config.sizeBudgetSeconds)
        go.count = 0;
    }
    auto decided = exchange(control, partner, initiator, go);
    if (!decided) return decided.error();
    if (decided->count == 0) {
      outcome.skippedSizes.assign(config.sizes.begin() + static_cast<long>(s), config.sizes.end());
      break;
    }
    TOPOPLAN_TRY(channel.beginSize(bytes));

    // Latency of the larger sizes (the smallest's was taken in turn).
    SampleStats latency = smallestLatency;
    if (s > 0) {
      auto lat = latencySeries(control, channel, partner, initiator, bytes, half, config);
      if (!lat) return lat.error();
      latency = summarize(std::move(*lat));
    }

    // Bandwidth: a warm-up message that predicts one, then windows that let min-iters fit.
    auto one = channel.stream(bytes, 1);
    if (!one) return one.error();
    Control plan{0, 1};
    if (initiator) {
      const double perMessage = std::max(*one, 1e-9);
      plan.window = static_cast<int>(
          std::clamp<double>(std::floor(half / (config.minIters * perMessage)), 1, config.window));
      plan.count = samplesFitting(half, plan.window * perMessage, config);
    }
    auto series = exchange(control, partner, initiator, plan);
    if (!series) return series.error();
    std::vector<double> bw;
    for (int i = 0; i < series->count; ++i) {
      auto seconds = channel.stream(bytes, series->window);
      if (!seconds) return seconds.error();
      bw.push_back(gbps(bytes * static_cast<std::uint64_t>(series->window), *seconds));
    }
    TOPOPLAN_TRY(channel.endSize());
    if (initiator) {
      const bool limited = latency.samples < static_cast<std::uint64_t>(config.iters) ||
                           series->count < config.iters;
      outcome.sizes.push_back({bytes, summarize(bw), latency, series->window, limited, bw});
    }
  }
  if (!initiator) outcome.skippedSizes.clear();
  return outcome;
}

Result<PairOutcome> measurePair(Comm& control, PairChannel& channel, int partner, bool initiator,
                                const ProbeConfig& config) {
  auto latency = measureLatency(control, channel, partner, initiator, config, {});
  if (!latency) return latency.error();
  return measureSizes(control, channel, partner, initiator, config, *latency);
}

std::string skipReason(const SizeFigures& last, const std::vector<std::uint64_t>& skipped,
                       const ProbeConfig& config) {
  if (skipped.empty()) return "";
  const double each = predictedMessageSeconds(skipped.front(), last);
  char text[320];
  std::snprintf(text, sizeof text,
                "sizes from %s skipped: at %.4g GB/s (the %s figures) one message of %s takes "
                "~%.3g s, so its minimum %d samples would take ~%.3g s, more than %g x the size "
                "budget of %g s",
                formatSize(skipped.front()).c_str(), last.bwGbps.median,
                formatSize(last.bytes).c_str(), formatSize(skipped.front()).c_str(), each,
                config.minIters, minimumSeconds(each, config), ProbeConfig::kSkipFactor,
                config.sizeBudgetSeconds);
  return text;
}

}  // namespace topoplan
