// The contention pattern (probe --contention): the aggregate a domain's uplink carries when many
// of its hosts send out of it at once, which single pairs cannot show. A non-blocking domain
// carries as many flows as its hosts' links; an oversubscribed one a fraction of them.
//
// For each domain of the structure (declared, or inferred from the first pass) whose parent holds
// other domains: one round in which each host of the domain (its first rank) streams to a
// distinct host outside it within the parent, all at once after a barrier; each pair a warm-up
// message of the largest size, then (after another barrier) every pair the same count of
// messages, as many as fill about two size budgets at the slowest warm-up's rate (at most iters x
// window), in one stream timed by its sender to the receiver's ack. The domain's aggregate is all
// the bytes over the longest of those times; each pair's rate its bytes over its own. One domain
// per round, so no other traffic shares its uplink. Rounds: as many as such domains.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/comm.h"
#include "core/fabric_structure.h"
#include "core/link_record.h"
#include "core/stats.h"
#include "probes/pair_channel.h"
#include "probes/pair_probe.h"

namespace topoplan {

struct ContentionRound {
  std::string domain;  // its path in the structure
  int level = 0;
  std::vector<std::string> hosts;          // the domain's hosts
  std::vector<std::pair<int, int>> flows;  // (sender rank inside, receiver rank outside)
};

std::vector<ContentionRound> contentionRounds(const std::vector<std::string>& rankHosts,
                                              const FabricStructure& structure);

// The duplex groups, each measured alone in a round of its own (as a gang runs alone): in each
// group every host's first rank streams to the next host's while it receives from the previous
// one's, as a ring collective loads a host (both directions of its link busy, and its CPU with
// them). Groups:
// - each finest domain of 2 or more hosts, its hosts in order (a ring; 2 hosts: a duplex pair);
//   hosts the structure places nowhere in duplex pairs by their fastest first-pass link
//   (`pairGbps`, keyed by the two host names in order), matched greedily fastest first, pairs
//   of hosts not in `avoid` before the rest, one left over with its fastest partner not in
//   `avoid` (else its fastest);
// - across uplinks (acrossUplink): for each domain with siblings, a host of it and one of a
//   sibling (paired in order, an odd last one with the first), one flow each way, as a
//   hierarchical ring crosses each uplink. The host is the first one not in `avoid` (the first
//   pass's suspects), else the first.
std::vector<DomainRing> duplexGroups(
    const std::vector<std::string>& rankHosts, const FabricStructure& structure,
    const std::set<std::string>& avoid,
    const std::map<std::pair<std::string, std::string>, double>& pairGbps = {});

// Runs the groups: each rank posts a window of receives and of sends at a time, for about two
// size budgets (a count all agree on from a warm-up); a host's rate is the bytes it sent over
// that time. Returns the groups with their rates. Over Comm (the mpi path).
Result<std::vector<DomainRing>> runRingRounds(Comm& comm, const std::vector<std::string>& rankHosts,
                                              std::vector<DomainRing> groups,
                                              const ProbeConfig& config);

// Every rank calls it with the same rounds; every rank returns the same aggregates.
Result<std::vector<DomainAggregate>> runContention(Comm& comm,
                                                   const std::vector<ContentionRound>& rounds,
                                                   const ChannelOpener& open,
                                                   const ProbeConfig& config);

}  // namespace topoplan
