#include "placement/node/gpu_choice.h"

#include <algorithm>
#include <limits>
#include <set>

#include "core/index_list.h"

namespace topoplan {
namespace {

constexpr double kMostSets = 2e6;

double choose(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

// The bottleneck of the best cycle through `gpus` (at least 3), found by depth-first search from
// gpus[0]; branches whose bottleneck cannot beat `floor` are cut. Writes the cycle to `order`.
double bestCycle(const NodeModel& node, const std::vector<int>& gpus, double floor,
                 std::vector<int>* order) {
  const std::size_t n = gpus.size();
  std::vector<int> path{gpus[0]};
  std::vector<bool> used(n, false);
  used[0] = true;
  double best = floor;
  bool found = false;
  const auto g = [&](int a, int b) {
    return node.pairGbps(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
  };
  const auto walk = [&](auto&& self, double bottleneck) -> void {
    if (path.size() == n) {
      const double closed = std::min(bottleneck, g(path.back(), path.front()));
      if (closed > best || (!found && closed >= best)) {
        best = closed;
        found = true;
        if (order) *order = path;
      }
      return;
    }
    for (std::size_t i = 1; i < n; ++i) {
      if (used[i]) continue;
      // Each cycle once: the second GPU is before the last in the set's order.
      if (path.size() == n - 1 && n > 2 && gpus[i] < path[1]) continue;
      const double next = std::min(bottleneck, g(path.back(), gpus[i]));
      if (next < best || (found && next <= best)) continue;
      used[i] = true;
      path.push_back(gpus[i]);
      self(self, next);
      path.pop_back();
      used[i] = false;
    }
  };
  walk(walk, std::numeric_limits<double>::infinity());
  return found ? best : -1;
}

// CPU lists ("0-23,48-71") as one list, sorted and merged ("0-23,48-71" and "24-47" ->
// "0-71"); lists it cannot read are kept as they are.
std::string mergeCpuLists(const std::vector<std::string>& lists) {
  std::vector<int> cpus;
  std::string joined;
  bool readable = true;
  for (const std::string& list : lists) {
    joined += (joined.empty() ? "" : ",") + list;
    auto read = parseIndexList(list, 1 << 20);
    readable = readable && read.ok();
    if (read) cpus.insert(cpus.end(), read->begin(), read->end());
  }
  return readable ? formatIndexList(std::move(cpus)) : joined;
}

struct Figures {
  double ring = 0, slowest = 0, bound = 0;
};

Figures figuresOf(const NodeModel& node, const std::vector<int>& gpus) {
  Figures f;
  if (gpus.size() < 2) return f;
  f.slowest = std::numeric_limits<double>::infinity();
  f.bound = std::numeric_limits<double>::infinity();
  for (int a : gpus) {
    double first = 0, second = 0;
    for (int b : gpus) {
      if (a == b) continue;
      const double v = node.pairGbps(static_cast<std::size_t>(a), static_cast<std::size_t>(b));
      f.slowest = std::min(f.slowest, v);
      if (v > first) {
        second = first;
        first = v;
      } else if (v > second) {
        second = v;
      }
    }
    f.bound = std::min(f.bound, gpus.size() == 2 ? first : second);
  }
  return f;
}

int distinctOf(const NodeModel& node, const std::vector<int>& gpus, int NodeGpu::*field) {
  std::set<int> seen;
  for (int g : gpus) {
    const int v = node.gpus[static_cast<std::size_t>(g)].*field;
    if (v >= 0) seen.insert(v);
  }
  return static_cast<int>(seen.size());
}

std::string gbpsText(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g GB/s", v);
  return buffer;
}

std::string gpuName(const NodeModel& node, int g) {
  return "GPU " + std::to_string(node.gpus[static_cast<std::size_t>(g)].index);
}

// The nearest NIC of GPU `g` and how it is reached; NICs already given to `load` GPUs are taken
// last among equals.
std::pair<int, std::string> nearestNic(const NodeModel& node, int g, const std::vector<int>& load) {
  const NodeGpu& gpu = node.gpus[static_cast<std::size_t>(g)];
  int best = -1, bestRank = 5;
  for (std::size_t i = 0; i < node.nics.size(); ++i) {
    const NodeNic& nic = node.nics[i];
    const int rank = gpu.pcieSwitch >= 0 && nic.pcieSwitch == gpu.pcieSwitch ? 0
                     : gpu.numa >= 0 && nic.numa == gpu.numa                 ? 1
                     : gpu.socket >= 0 && nic.socket == gpu.socket           ? 2
                                                                             : 3;
    if (rank < bestRank || (rank == bestRank && load[i] < load[static_cast<std::size_t>(best)])) {
      best = static_cast<int>(i);
      bestRank = rank;
    }
  }
  static const char* const kPaths[] = {"pcie-switch", "numa", "socket", "system"};
  return {best, best < 0 ? std::string() : kPaths[bestRank]};
}

// a better than b?
bool better(const GpuChoice& a, const GpuChoice& b) {
  if (a.ringGbps != b.ringGbps) return a.ringGbps > b.ringGbps;
  if (a.slowestPairGbps != b.slowestPairGbps) return a.slowestPairGbps > b.slowestPairGbps;
  if (a.sockets != b.sockets) return a.sockets < b.sockets;
  if (a.pcieSwitches != b.pcieSwitches) return a.pcieSwitches < b.pcieSwitches;
  if (a.misaligned.size() != b.misaligned.size()) return a.misaligned.size() < b.misaligned.size();
  return a.gpus < b.gpus;
}

// The figures of a set already in ascending order, its pair figures `f` at hand.
GpuChoice describe(const NodeModel& node, const std::vector<int>& gpus, const Figures& f) {
  GpuChoice c;
  c.gpus = gpus;
  c.ring = gpus;
  c.slowestPairGbps = f.slowest;
  c.ringGbps = gpus.size() > 2 ? bestCycle(node, gpus, f.slowest, &c.ring) : f.slowest;
  c.sockets = distinctOf(node, gpus, &NodeGpu::socket);
  c.pcieSwitches = distinctOf(node, gpus, &NodeGpu::pcieSwitch);
  // The limit: the slowest hop of the ring.
  for (std::size_t i = 0; gpus.size() >= 2 && i < c.ring.size(); ++i) {
    const int a = c.ring[i], b = c.ring[(i + 1) % c.ring.size()];
    const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
    if (node.pairGbps(ua, ub) == c.ringGbps) {
      c.limit = gpuName(node, a) + " - " + gpuName(node, b) + " over " +
                name(node.pairPath(ua, ub)) + ", " + gbpsText(c.ringGbps);
      break;
    }
  }
  if (gpus.size() == 1) c.limit = "one GPU: no AllReduce traffic inside the host";
  std::vector<int> load(node.nics.size(), 0);
  std::set<int> numas;
  bool numaKnown = true;
  for (int g : gpus) {
    const auto [nic, path] = nearestNic(node, g, load);
    if (nic >= 0) ++load[static_cast<std::size_t>(nic)];
    c.nics.push_back(nic < 0 ? "" : node.nics[static_cast<std::size_t>(nic)].name);
    c.nicPaths.push_back(path);
    if (nic < 0) {
      c.misaligned.push_back(gpuName(node, g) + ": the host has no NIC");
    } else if (path == "socket" || path == "system") {
      c.misaligned.push_back(gpuName(node, g) +
                             ": no NIC on its PCIe switch or NUMA node (nearest " + c.nics.back() +
                             (path == "socket" ? ", same socket)" : ", across sockets)"));
    }
    const int numa = node.gpus[static_cast<std::size_t>(g)].numa;
    if (numa < 0 || static_cast<std::size_t>(numa) >= node.numaCpusets.size() ||
        node.numaCpusets[static_cast<std::size_t>(numa)].empty()) {
      numaKnown = false;
    } else {
      numas.insert(numa);
    }
  }
  if (numaKnown) {
    std::vector<std::string> lists;
    for (int numa : numas) lists.push_back(node.numaCpusets[static_cast<std::size_t>(numa)]);
    c.cpuset = mergeCpuLists(lists);
  }
  return c;
}

}  // namespace

GpuChoice describeGpus(const NodeModel& node, std::vector<int> gpus) {
  std::sort(gpus.begin(), gpus.end());
  return describe(node, gpus, figuresOf(node, gpus));
}

Result<GpuChoice> chooseGpus(const NodeModel& node, const std::vector<bool>& busy, int count) {
  const std::size_t n = node.size();
  if (node.gbps.size() != n * n || node.paths.size() != n * n)
    return Error("node model: " + std::to_string(n) + " GPUs but a " +
                 std::to_string(node.gbps.size()) + "-entry bandwidth matrix");
  std::vector<int> free;
  for (std::size_t i = 0; i < n; ++i)
    if (i >= busy.size() || !busy[i]) free.push_back(static_cast<int>(i));
  if (count < 1 || count > static_cast<int>(free.size()))
    return Error(std::to_string(count) + " GPUs asked, " + std::to_string(free.size()) + " of " +
                 std::to_string(n) + " free");
  const int f = static_cast<int>(free.size());
  if (choose(f, count) > kMostSets)
    return Error("choosing " + std::to_string(count) + " of " + std::to_string(f) +
                 " free GPUs: more than 2,000,000 sets to weigh");
  std::vector<int> pick(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) pick[static_cast<std::size_t>(i)] = i;
  GpuChoice best;
  bool have = false;
  std::vector<int> gpus(static_cast<std::size_t>(count));
  while (true) {
    for (int i = 0; i < count; ++i)
      gpus[static_cast<std::size_t>(i)] =
          free[static_cast<std::size_t>(pick[static_cast<std::size_t>(i)])];
    // The bound: a set whose ring cannot reach the best ring found is not described.
    const Figures figures = figuresOf(node, gpus);
    if (!have || figures.bound >= best.ringGbps) {
      GpuChoice c = describe(node, gpus, figures);
      if (!have || better(c, best)) {
        best = std::move(c);
        have = true;
      }
    }
    int i = count - 1;
    while (i >= 0 && pick[static_cast<std::size_t>(i)] == f - count + i) --i;
    if (i < 0) break;
    ++pick[static_cast<std::size_t>(i)];
    for (int j = i + 1; j < count; ++j)
      pick[static_cast<std::size_t>(j)] = pick[static_cast<std::size_t>(j - 1)] + 1;
  }
  return best;
}

double optimumRingGbps(const NodeModel& node, const std::vector<int>& free, int count) {
  if (count < 1 || count > static_cast<int>(free.size())) return 0;
  double best = 0;
  std::vector<bool> mask(free.size(), false);
  std::fill(mask.begin(), mask.begin() + count, true);
  do {
    std::vector<int> set;
    for (std::size_t i = 0; i < free.size(); ++i)
      if (mask[i]) set.push_back(free[i]);
    best = std::max(best, exhaustiveRingGbps(node, set));
  } while (std::prev_permutation(mask.begin(), mask.end()));
  return best;
}

double exhaustiveRingGbps(const NodeModel& node, const std::vector<int>& gpus) {
  if (gpus.size() < 2) return 0;
  if (gpus.size() == 2)
    return node.pairGbps(static_cast<std::size_t>(gpus[0]), static_cast<std::size_t>(gpus[1]));
  std::vector<int> order(gpus.begin() + 1, gpus.end());
  std::sort(order.begin(), order.end());
  double best = 0;
  do {
    double bottleneck = std::numeric_limits<double>::infinity();
    int previous = gpus[0];
    for (int g : order) {
      bottleneck = std::min(bottleneck, node.pairGbps(static_cast<std::size_t>(previous),
                                                      static_cast<std::size_t>(g)));
      previous = g;
    }
    bottleneck = std::min(bottleneck, node.pairGbps(static_cast<std::size_t>(previous),
                                                    static_cast<std::size_t>(gpus[0])));
    best = std::max(best, bottleneck);
  } while (std::next_permutation(order.begin(), order.end()));
  return best;
}

}  // namespace topoplan
