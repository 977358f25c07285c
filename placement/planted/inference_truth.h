// Inference scored against a planted truth (fabric_generator.h): the fabric kinds the property
// tests and bench/inference_truth run over many seeds, and what each run recovered.
#pragma once

#include <string>
#include <vector>

#include "placement/inference.h"
#include "placement/planted/fabric_generator.h"

namespace topoplan {

// A named kind of fabric: its spec for a seed.
struct FabricKind {
  std::string name;
  FabricSpec (*spec)(unsigned seed);
  int levels;  // the levels inference should find (0: a fabric without structure)
};

// 2:1 and 3:1 oversubscribed leaf-spine (128 hosts, racks of 16, +-10% noise), non-blocking
// (bandwidth flat, latency per hop), a 3-tier Clos (2:1 at each tier), one wide-noise class
// (+-50%, no structure), a realistic one (degraded hosts and uplinks, mis-cabled hosts,
// shuffled names, concurrent-round contention), and one like the simulated cluster (10x classes).
const std::vector<FabricKind>& fabricKinds();

// Fabrics of 128 to 2,048 hosts, all pairs, racks of 4 to 64 hosts (a rack's pairs as few as
// 0.15% of all), 2:1 and non-blocking (latency alone), 1 to 3 levels, each with two degraded
// hosts and a degraded rack uplink.
const std::vector<FabricKind>& scaleKinds();

struct TruthScore {
  bool exact = false;  // every level's partition of the healthy hosts recovered
  int levelsFound = 0;
  int degradedPlanted = 0, degradedFound = 0;
  int healthyCalledDegraded = 0;
  int uplinksPlanted = 0, uplinksFound = 0;  // degraded uplinks named as such
  int degradedMisplaced = 0;      // placed in a domain that is not where it sits
  bool gangInOneRack = false;     // a gang that fits one finest domain was kept in one
  double predictionErrorPct = 0;  // the gang's predicted busbw against the truth's prediction
  std::string why;                // what differed, when not exact
};

// Infers `fabric` and scores the result; a gang of `gangHosts` is planned on the inferred
// structure and figures.
TruthScore scoreInference(const GeneratedFabric& fabric, int gangHosts,
                          const InferenceOptions& options = {});

}  // namespace topoplan
