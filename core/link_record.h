// Pairwise link measurements: the records that the probe produces and documents are views of.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/stats.h"

namespace topoplan {

struct SizeFigures {
  std::uint64_t bytes = 0;
  SampleStats bwGbps;
  SampleStats latUs;                  // half round trip of a ping-pong of `bytes`
  int window = 0;                     // messages per bandwidth sample (at most --window)
  bool budgetLimited = false;         // fewer than --iters samples: the size's time budget ran out
  std::vector<double> bwSamplesGbps;  // each bandwidth sample, in the order taken
};

struct PairFigures {
  int a = 0, b = 0;  // ranks, a < b
  std::vector<SizeFigures> sizes;
};

struct LinkMeasurement {
  int a = 0, b = 0;
  std::vector<SizeFigures> concurrent;  // measured in its round, beside the round's other pairs
  std::vector<SizeFigures> alone;       // measured again with no other pair on its hosts or
                                        // uplinks (suspects), or every pair with --serial
  std::string suspectReason;            // why it was measured again; empty if not
  // Sizes not measured because the smaller ones showed that their minimum samples would take
  // far longer than the budget; `skipReason` says so with the figures.
  std::vector<std::uint64_t> skippedSizes;
  std::string skipReason;
  // The most pairs of its first-pass round on one uplink it crossed, by the structure the probe
  // used (1: none shared them; 0: unknown).
  int contention = 0;

  // The figures that stand for the link: alone when measured alone, else concurrent.
  const std::vector<SizeFigures>& primary() const { return alone.empty() ? concurrent : alone; }
};

// A host whose pairs were low against their classes so consistently that the host explains them
// (its own link is slow): a few of its pairs are measured again instead of all of them.
struct SuspectHost {
  std::string host;
  std::string reason;
};

// A domain's uplink loaded by all its hosts at once (the contention pattern).
struct DomainAggregate {
  std::string domain;  // its path in the structure the probe used
  int level = 0;
  std::vector<std::string> hosts;
  SampleStats pairGbps;      // the concurrent pairs' rates
  double aggregateGbps = 0;  // their sum
};

// A duplex group of the probe (probes/contention.h): hosts each sending to the next while
// receiving from the previous.
struct DomainRing {
  std::string domain;              // the finest domain, or "A <-> B" across uplinks
  std::vector<std::string> hosts;  // in ring order
  std::vector<double> rates;       // each host's send rate, in the order of hosts
  bool acrossUplink = false;       // a host of each of two sibling domains

  SampleStats hostGbps() const { return summarize(rates); }
};

struct ProbeResult {
  std::vector<LinkMeasurement> links;  // every measured pair, ordered (a, b)
  int rounds = 0;                      // rounds of the first pass
  int retestRounds = 0;                // rounds of the suspects' second measurement
  std::vector<SuspectHost> suspectHosts;
  std::string suspectRule;  // the rule and the structure its classes came from, in words
};

}  // namespace topoplan
