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
  SampleStats latUs;  // half round trip of a ping-pong of `bytes`
};

struct PairFigures {
  int a = 0, b = 0;  // ranks, a < b
  std::vector<SizeFigures> sizes;
};

struct LinkMeasurement {
  int a = 0, b = 0;
  std::vector<SizeFigures> concurrent;  // measured in its round
  std::vector<SizeFigures> serial;      // measured alone (suspects, or all with --serial)
  std::string suspectReason;            // why it was measured again; empty if not a suspect
};

struct ProbeResult {
  std::vector<LinkMeasurement> links;  // every pair, ordered (a, b)
  int rounds = 0;
};

}  // namespace topoplan
