// The round schedule of the pairwise probe: the circle method (round-robin tournament).
//
// Rank 0 stays put while the others rotate one seat per round; in each round seat i plays seat
// n-1-i. For even n this gives n-1 rounds of n/2 disjoint pairs covering every pair exactly once;
// for odd n a phantom seat is added (n rounds), and the rank facing it rests that round.
#pragma once

#include <utility>
#include <vector>

namespace topoplan {

using Round = std::vector<std::pair<int, int>>;  // (lower rank, higher rank)

std::vector<Round> circleRounds(int ranks);

// This rank's partner in `round`, or -1 when it rests.
int partnerIn(const Round& round, int rank);

}  // namespace topoplan
