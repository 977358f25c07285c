// Ring AllReduce: reduce-scatter then allgather around the ring rank -> rank+1, pipelined in
// chunks.
//
// The vector is cut into n segments (sizes differ by at most one element) and each segment into
// chunks of at most chunkBytes. There are 2(n-1) steps; at step s < n-1 (reduce-scatter) rank r
// receives segment (r-s-1) mod n from its left neighbour and combines it with its own input; at
// step n-1+t (allgather) it receives the finished segment (r-t) mod n. Each chunk is forwarded
// to the right neighbour as soon as it is ready, so consecutive steps overlap chunk by chunk.
//
// Bytes on the wire per rank: sent 2(n-1)/n * N and received 2(n-1)/n * N, the minimum for
// AllReduce; this is why nccl-tests' busbw = algbw * 2(n-1)/n.
#pragma once

#include <vector>

#include "allreduce/algorithm.h"

namespace topoplan {

class RingAllreduce final : public AllreduceAlgorithm {
 public:
  explicit RingAllreduce(AlgorithmOptions options = {}) : options_(options) {}
  std::string_view name() const override { return "ring"; }
  Status run(Comm& comm, const AllreduceArgs& args) override;

 private:
  AlgorithmOptions options_;
  std::vector<std::byte> scratch_;  // kept between calls: no allocation on the timed path
};

}  // namespace topoplan
