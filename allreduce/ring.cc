#include "allreduce/ring.h"

#include <cstring>
#include <deque>
#include <vector>

#include "allreduce/partition.h"
#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

constexpr int kTag = 101;
constexpr std::size_t kWindow = 4;  // receives posted ahead within a step

}  // namespace

Status RingAllreduce::run(Comm& comm, const AllreduceArgs& args) {
  const int n = comm.size();
  const int r = comm.rank();
  const std::size_t elementSize = sizeOf(args.type);
  const auto* in = static_cast<const std::byte*>(args.send);
  auto* out = static_cast<std::byte*>(args.recv);
  if (n == 1 || args.count == 0) {
    if (!args.inPlace() && args.count > 0) std::memcpy(out, in, args.bytes());
    return okStatus();
  }
  const std::size_t chunkElements = std::max<std::size_t>(1, options_.chunkBytes / elementSize);
  const int right = (r + 1) % n;
  const int left = (r - 1 + n) % n;
  auto region = [&](auto* base, Span1d span) {
    return std::span(base + span.offset * elementSize, span.count * elementSize);
  };
  // In-place, a received partial cannot land on our own input: it goes to a scratch slot first.
  const std::size_t scratchBytes = args.inPlace() ? kWindow * chunkElements * elementSize : 0;
  if (scratch_.size() < scratchBytes) scratch_.resize(scratchBytes);
  const std::span<std::byte> scratch = std::span(scratch_).first(scratchBytes);

  std::vector<Request> sends;
  const Span1d own = blockOf(args.count, n, r);
  for (std::size_t k = 0; k < chunkCount(own.count, chunkElements); ++k) {
    auto request = comm.isend(right, region(in, chunkOf(own, chunkElements, k)), kTag);
    if (!request) return request.error();
    sends.push_back(*request);
  }

  const int steps = 2 * (n - 1);
  std::size_t sendsBeforeLastReduceStep = 0;
  for (int step = 0; step < steps; ++step) {
    const bool reducing = step < n - 1;
    if (step == n - 2) sendsBeforeLastReduceStep = sends.size();
    if (step == n - 1) {
      // The allgather overwrites segments that earlier sends may still be reading; the right
      // neighbour took those in its reduce-scatter. The last reduce step's sends carry segment
      // r+1, which the allgather never overwrites, and the neighbour takes them only in its own
      // allgather: waiting for them here would deadlock under a rendezvous protocol.
      std::vector<Request> earlier(sends.begin(), sends.begin() + sendsBeforeLastReduceStep);
      TOPOPLAN_TRY(comm.waitAll(earlier));
      sends.erase(sends.begin(), sends.begin() + sendsBeforeLastReduceStep);
    }
    const int segment = reducing ? (r - step - 1 + n) % n : (r - (step - (n - 1)) + n) % n;
    const Span1d block = blockOf(args.count, n, segment);
    const std::size_t chunks = chunkCount(block.count, chunkElements);
    const bool useScratch = reducing && args.inPlace();

    std::deque<Request> posted;
    std::size_t nextPost = 0;
    auto post = [&]() -> Status {
      const Span1d chunk = chunkOf(block, chunkElements, nextPost);
      std::span<std::byte> target =
          useScratch ? scratch.subspan((nextPost % kWindow) * chunkElements * elementSize,
                                       chunk.count * elementSize)
                     : region(out, chunk);
      auto request = comm.irecv(left, target, kTag);
      if (!request) return request.error();
      posted.push_back(*request);
      ++nextPost;
      return okStatus();
    };
    while (nextPost < std::min(kWindow, chunks)) TOPOPLAN_TRY(post());

    for (std::size_t k = 0; k < chunks; ++k) {
      TOPOPLAN_TRY(comm.wait(posted.front()));
      posted.pop_front();
      const Span1d chunk = chunkOf(block, chunkElements, k);
      if (reducing) {
        const std::byte* partner =
            useScratch ? scratch.data() + (k % kWindow) * chunkElements * elementSize
                       : in + chunk.offset * elementSize;
        reduceInto(args.type, args.op, out + chunk.offset * elementSize, partner, chunk.count);
      }
      if (nextPost < chunks) TOPOPLAN_TRY(post());
      if (step + 1 < steps) {
        auto request = comm.isend(right, region(out, chunk), kTag);
        if (!request) return request.error();
        sends.push_back(*request);
      }
    }
  }
  return comm.waitAll(sends);
}

}  // namespace topoplan
