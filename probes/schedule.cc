#include "probes/schedule.h"

#include <algorithm>
#include <map>
#include <set>

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

namespace topoplan {

std::vector<Round> packRounds(const std::vector<PairToSchedule>& pairs) {
  std::map<int, int> load;  // pairs per resource
  for (const PairToSchedule& pair : pairs) {
    for (int resource : pair.resources) ++load[resource];
  }
  std::vector<std::size_t> order(pairs.size());
  std::vector<int> weight(pairs.size(), 0);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    order[i] = i;
    for (int resource : pairs[i].resources) weight[i] += load[resource];
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t x, std::size_t y) { return weight[x] > weight[y]; });
  std::vector<Round> rounds;
  std::vector<std::set<int>> taken;
  for (std::size_t i : order) {
    const PairToSchedule& pair = pairs[i];
    std::size_t r = 0;
    for (; r < rounds.size(); ++r) {
      const bool clash = std::any_of(pair.resources.begin(), pair.resources.end(),
                                     [&](int resource) { return taken[r].count(resource) > 0; });
      if (!clash) break;
    }
    if (r == rounds.size()) {
      rounds.emplace_back();
      taken.emplace_back();
    }
    rounds[r].emplace_back(pair.a, pair.b);
    taken[r].insert(pair.resources.begin(), pair.resources.end());
  }
  return rounds;
}

}  // namespace topoplan
