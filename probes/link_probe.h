// The pairwise link probe over Comm, any transport (pair_channel.h), any set of pairs.
//
// 1. First pass: the given rounds (every pair by the circle method, schedule.h, or a sampled set
//    packed into rounds); each round starts after a barrier, so the pairs of a round overlap and
//    rounds do not. Each pair is measured by the timed method of pair_probe.h: the pairs of a
//    round take their small-message latency in turn, then, after a barrier, measure every size
//    together.
// 2. Suspects: the structure (declared, or inferred from the first pass by the caller) gives
//    each pair its class; suspects.h says which pairs to measure again.
// 3. Retests: those pairs again, packed into rounds that share no host and no uplink of the
//    structure (packRounds), so each is alone on its path; both figures are kept.
// Each round's figures are gathered when it ends, so every rank holds the same result and, after
// a failure, `result` holds the rounds before it (the error names the round and the pair).
// Ranks that rest in a round wait in the barrier and the gather, which poll without holding a
// core (MpiComm).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/comm.h"
#include "core/fabric_structure.h"
#include "core/link_record.h"
#include "probes/pair_probe.h"
#include "probes/schedule.h"
#include "probes/suspects.h"

namespace topoplan {

struct LinkProbeSetup {
  ProbeConfig config;
  std::vector<Round> firstPass;
  bool retest = true;  // measure the suspects again
  SuspectRule rule;
  std::vector<std::string> rankHosts;  // index = rank
  // The structure of the suspects' classes and of the retest rounds' uplinks; every rank calls it
  // with the same first pass and must get the same answer. Empty: every pair between hosts is one
  // class and no uplink is known.
  std::function<FabricStructure(const ProbeResult& firstPass)> structure;
};

// "round", "retest" and how far (done of total); may be empty.
using ProbeProgress = std::function<void(const std::string& phase, int done, int total)>;

// Each measured pair's figures, (lower rank, higher rank) -> its outcome.
using FiguresByPair = std::map<std::pair<int, int>, PairOutcome>;

// Measures rounds (the pairs of a round at once, rounds one after another) with `config` into
// `out`; `phase` is "round" or "retest". After a failure `out` holds the rounds before it. Over
// Comm it is the timed method above (commRounds; every rank calls it); a modeled fabric answers
// from its model.
using RoundMeasurer =
    std::function<Status(const ProbeConfig& config, const std::vector<Round>& rounds,
                         const std::string& phase, FiguresByPair& out)>;

// The timed method over Comm as a RoundMeasurer (it keeps references to comm and open).
RoundMeasurer commRounds(Comm& comm, const ChannelOpener& open, const ProbeProgress& progress = {});

// The probe over Comm: every rank calls it and gets the same result.
Status runLinkProbe(Comm& comm, const LinkProbeSetup& setup, const ChannelOpener& open,
                    ProbeResult& result, const ProbeProgress& progress = {});

// The same steps over any measurer.
Status runLinkProbe(const LinkProbeSetup& setup, const RoundMeasurer& measure, ProbeResult& result);

// The first pass over every pair of `ranks`: the circle method's rounds, or, `serial`, one pair a
// round (every pair alone).
std::vector<Round> allPairRounds(int ranks, bool serial);

}  // namespace topoplan
