// Recursive halving-doubling AllReduce (Rabenseifner): reduce-scatter by recursive vector
// halving, then allgather by recursive doubling.
//
// Let p be the largest power of two <= n and q = n - p. Fix-up for non-powers of two: among the
// first 2q ranks, each even rank sends its whole vector to the odd rank above it and sits out;
// the p remaining ranks run the power-of-two algorithm; at the end each odd rank returns the
// result to its even partner.
//
// Power-of-two part, log2(p) steps each way: in the step with distance d = p/2, p/4, ..., 1 a
// rank exchanges half of its current window with the partner rank ^ d and reduces the half it
// keeps; the allgather retraces the steps, exchanging the finished halves.
// Bytes on the wire per rank: 2(p-1)/p * N, plus N each way for ranks in the fix-up pairs.
// Latency: 2 log2(p) messages (+2 with the fix-up), against 2(n-1) for the ring.
#pragma once

#include <vector>

#include "allreduce/algorithm.h"

namespace topoplan {

class RhdAllreduce final : public AllreduceAlgorithm {
 public:
  std::string_view name() const override { return "rhd"; }
  Status run(Comm& comm, const AllreduceArgs& args) override;

 private:
  std::vector<std::byte> scratch_;  // kept between calls: no allocation on the timed path
};

}  // namespace topoplan
