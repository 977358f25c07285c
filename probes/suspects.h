// Which pairs of a probe's first pass to measure again: suspects are judged within their class.
//
// Rule. A pair's class is its path kind (within a host, or between hosts), the number of fabric
// levels its two hosts share (FabricStructure: declared, or inferred from the first pass), and
// the contention it met: the most pairs of its round on one uplink it crossed. So a cross-rack
// pair on an oversubscribed tree is compared with the other cross-rack pairs, never with the
// pairs inside a rack, and a pair that shared its uplink with two others in its round with pairs
// that did too (a class of fewer than 3 pairs joins the pairs of its level). A pair is low when
// its bandwidth (the median at its largest measured size) is below bwRatio / k x its class's
// median, k the pairs on its busiest uplink (a share of an uplink is not split evenly: TCP and
// the fabric are not fair in a short window), or its latency (the p10 of its smallest size's
// samples: the round trips the path allows, without a host's scheduling noise) is above
// latRatio x its class's median.
// A host explains its low pairs when at least `hostShare` of its pairs (and at least 3) are low:
// its own link is slow. Such a host is a suspect host; `confirmPairs` of its pairs with healthy
// hosts (low ones first, in its finest class, best first) are measured again, the rest of its low
// pairs are not. Class medians are taken without the suspect hosts' pairs. Every other low pair is
// measured again.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/fabric_structure.h"
#include "core/link_record.h"

namespace topoplan {

struct SuspectRule {
  double bwRatio = 0.7;
  double latRatio = 2.0;
  double hostShare = 0.75;
  int confirmPairs = 2;
};

struct SuspectVerdict {
  std::vector<std::size_t> retest;   // indices into the links, in order
  std::vector<std::string> reasons;  // per link: why it is low (empty when it is not)
  std::vector<SuspectHost> hosts;
};

// `links` hold their first-pass (concurrent) figures; `rankHosts[r]` is rank r's host;
// `contention[i]` the most pairs of link i's round on one of its uplinks (empty: 1 for all).
SuspectVerdict findSuspects(const std::vector<LinkMeasurement>& links,
                            const std::vector<std::string>& rankHosts,
                            const FabricStructure& structure, const SuspectRule& rule,
                            const std::vector<int>& contention = {});

// The rule in words, for --help and the document.
std::string describe(const SuspectRule& rule);

}  // namespace topoplan
