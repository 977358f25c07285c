// Binary-tree AllReduce: pipelined reduce to rank 0, then pipelined broadcast from it.
//
// Ranks form a complete binary tree in heap order (parent (r-1)/2, children 2r+1 and 2r+2).
// The vector is cut into chunks of at most chunkBytes. Reduce: each rank combines chunk k from
// its children into its own and sends it to its parent, so different levels work on different
// chunks at once. Broadcast: each rank receives chunk k from its parent and forwards it to its
// children. Depth is floor(log2 n), so small messages finish in ~2 log2(n) latencies.
// Bytes on the wire: a leaf sends N and receives N; an inner rank receives up to 3N and sends up
// to 3N, which bounds the tree's bandwidth at about a third of a link for large vectors (the
// ring's bound is half).
#pragma once

#include <vector>

#include "allreduce/algorithm.h"

namespace topoplan {

class TreeAllreduce final : public AllreduceAlgorithm {
 public:
  explicit TreeAllreduce(AlgorithmOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "tree"; }
  Status run(Comm& comm, const AllreduceArgs& args) override;

 private:
  AlgorithmOptions options_;
  std::vector<std::byte> scratch_;  // kept between calls: no allocation on the timed path
};

}  // namespace topoplan
