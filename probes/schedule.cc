#include "probes/schedule.h"

#include <algorithm>

namespace topoplan {

std::vector<Round> circleRounds(int ranks) {
  std::vector<Round> rounds;
  if (ranks < 2) return rounds;
  const int seats = ranks % 2 == 0 ? ranks : ranks + 1;  // seat `ranks` is the phantom
  std::vector<int> seat(static_cast<std::size_t>(seats));
  for (int i = 0; i < seats; ++i) seat[static_cast<std::size_t>(i)] = i;
  for (int r = 0; r < seats - 1; ++r) {
    Round round;
    for (int i = 0; i < seats / 2; ++i) {
      const int a = seat[static_cast<std::size_t>(i)];
      const int b = seat[static_cast<std::size_t>(seats - 1 - i)];
      if (a < ranks && b < ranks) round.emplace_back(std::min(a, b), std::max(a, b));
    }
    rounds.push_back(std::move(round));
    std::rotate(seat.begin() + 1, seat.end() - 1, seat.end());  // everyone but seat 0 moves on
  }
  return rounds;
}

int partnerIn(const Round& round, int rank) {
  for (const auto& [a, b] : round) {
    if (a == rank) return b;
    if (b == rank) return a;
  }
  return -1;
}

}  // namespace topoplan
