// Round schedules of the pairwise probe.
//
// circleRounds: every pair of N ranks, by the circle method (round-robin tournament). Rank 0
// stays put while the others rotate one seat per round; in each round seat i plays seat n-1-i.
// For even n this gives n-1 rounds of n/2 disjoint pairs covering every pair exactly once; for
// odd n a phantom seat is added (n rounds), and the rank facing it rests that round.
//
// packRounds: any set of pairs, each with the resources it must not share with another pair of
// its round (its two hosts, and the uplinks its path crosses). Greedy first fit, the most
// constrained pairs first (Welsh-Powell): a pair goes into the first round where none of its
// resources is taken. A round never holds two pairs on one resource; the number of rounds is
// at most the largest sum of the loads of one pair's resources, so O(N) when each resource
// (a host, an uplink) carries O(N) of the pairs.
#pragma once

#include <utility>
#include <vector>

namespace topoplan {

using Round = std::vector<std::pair<int, int>>;  // (lower rank, higher rank)

std::vector<Round> circleRounds(int ranks);

// This rank's partner in `round`, or -1 when it rests.
int partnerIn(const Round& round, int rank);

struct PairToSchedule {
  int a = 0, b = 0;            // ranks, a < b
  std::vector<int> resources;  // ids of what it occupies (hosts, uplinks), any non-negative ints
};

std::vector<Round> packRounds(const std::vector<PairToSchedule>& pairs);

}  // namespace topoplan
