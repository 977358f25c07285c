// Which GPUs of one host a gang's ranks get, with the NIC nearest each and the cores of their
// NUMA nodes (issue: topology inside the node).
//
// Among the host's free GPUs, every set of the requested size is weighed, best first by:
//   1. the predicted intra-host AllReduce figure: the bottleneck link of the best ring through
//      the set (ring AllReduce's bus bandwidth is its slowest hop);
//   2. the slowest pair in the set (what all-to-all and tree phases meet);
//   3. the fewest sockets, then the fewest PCIe switches the set spans;
//   4. the fewest GPUs without a NIC on their PCIe switch or NUMA node;
//   5. the lowest indices.
// The search is exhaustive with a bound: a set whose upper bound on its ring (each GPU's second
// fastest link within the set) is below the best ring found is not walked. The ring of a set is
// exact: when the bound equals the slowest pair, that is the ring; else the cycles are walked.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "placement/node/node_model.h"

namespace topoplan {

struct GpuChoice {
  std::vector<int> gpus;                // positions in NodeModel::gpus, ascending
  std::vector<int> ring;                // the same GPUs in the order of the best ring
  std::vector<std::string> nics;        // per chosen GPU: its nearest NIC, "" when there is none
  std::vector<std::string> nicPaths;    // per chosen GPU: "pcie-switch", "numa", "socket", "system"
  std::string cpuset;                   // the cores of the chosen GPUs' NUMA nodes; "" if unknown
  double ringGbps = 0;                  // predicted intra-host AllReduce figure (0 for one GPU)
  double slowestPairGbps = 0;           // 0 for one GPU
  int sockets = 0, pcieSwitches = 0;    // spanned (unknown ones not counted)
  std::string limit;                    // what limits ringGbps, in words
  std::vector<std::string> misaligned;  // one sentence per chosen GPU without a NIC near it
};

// `busy[i]` marks NodeModel::gpus[i] as taken (shorter than the GPUs: the rest are free).
// Errors: a count below 1 or above the free GPUs (naming both), a model whose matrices do not
// match its GPUs, or more than 2,000,000 sets to weigh.
Result<GpuChoice> chooseGpus(const NodeModel& node, const std::vector<bool>& busy, int count);

// The figures of a given set (NICs, cpuset, ring, crossings), as chooseGpus reports its own.
GpuChoice describeGpus(const NodeModel& node, std::vector<int> gpus);

// The bottleneck of the best ring through `gpus` by walking every cycle (no bound): what the
// bench checks chooseGpus against. 0 for fewer than 2 GPUs.
double exhaustiveRingGbps(const NodeModel& node, const std::vector<int>& gpus);

// The best ring over every set of `count` of the `free` GPUs, each walked by exhaustiveRingGbps:
// the optimum the tests and the bench hold chooseGpus to. 0 where count is not 1 .. free.
double optimumRingGbps(const NodeModel& node, const std::vector<int>& free, int count);

}  // namespace topoplan
