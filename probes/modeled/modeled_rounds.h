// ModeledRounds: the probe's rounds answered by a modeled fabric (modeled_fabric.h) with a modeled
// clock, one rank per host (rank i is fabric host i). A RoundMeasurer (link_probe.h), so the
// probe's own orchestration (rounds, budgets, suspects, retests, sampling, discovery) runs over it.
//
// Per pair and size S, as pair_probe.h measures: a message takes t = latency + S / bandwidth; a
// ping-pong 2t; a bandwidth sample of w messages w S / bandwidth + 2 latency (the ack). The
// window w, the sample counts (--min-iters to --iters within half the size budget each), the
// budget-limited mark and the skipping of sizes too slow for the budget follow the probe's rules.
// Noise, uniform +-noise_pct, is drawn per sample: on a bandwidth sample, and on the latency part
// of a ping-pong sample (so the alpha-beta fit of a pair's sweep finds its latency). A pair
// measures its modeled figure whatever else its round carries (the model has no uplink capacity to
// share). Clock: a round costs the latency turns of its pairs one after another, then its slowest
// pair's sizes, plus three barriers and a gather of 2 log2(ranks) x the farthest pairs' latency
// each.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "core/modeled_fabric.h"
#include "core/result.h"
#include "probes/link_probe.h"

namespace topoplan {

class ModeledRounds {
 public:
  explicit ModeledRounds(const ModeledFabric& fabric);

  Status measure(const ProbeConfig& config, const std::vector<Round>& rounds,
                 const std::string& phase, FiguresByPair& out);
  RoundMeasurer measurer() {
    return [this](const ProbeConfig& config, const std::vector<Round>& rounds,
                  const std::string& phase,
                  FiguresByPair& out) { return measure(config, rounds, phase, out); };
  }

  double seconds() const { return seconds_; }  // the modeled wall time so far
  int rounds() const { return rounds_; }

 private:
  // One pair's outcome and how long its latency turn and its sizes took.
  PairOutcome measurePair(const ProbeConfig& config, int a, int b, double& turnSeconds,
                          double& sizesSeconds);

  const ModeledFabric& fabric_;
  std::mt19937_64 random_;
  double seconds_ = 0;
  int rounds_ = 0;
};

}  // namespace topoplan
