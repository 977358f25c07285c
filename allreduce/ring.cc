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

// What every step of one run shares.
struct Ring {
  Comm& comm;
  const AllreduceArgs& args;
  int n, r, right, left;
  std::size_t elementSize, chunkElements;
  const std::byte* in;
  std::byte* out;
  std::span<std::byte> scratch;  // in-place reduce steps receive here (kWindow chunks)

  template <typename Byte>
  std::span<Byte> region(Byte* base, Span1d span) const {
    return std::span(base + span.offset * elementSize, span.count * elementSize);
  }
};

// One step: the chunks of this step's segment arrive from the left (kWindow receives ahead),
// are reduced into the output during the reduce-scatter (steps 0 to n-2), and go on to the right
// unless this is the last step.
Status ringStep(const Ring& ring, int step, std::vector<Request>& sends) {
  const int n = ring.n, r = ring.r, steps = 2 * (n - 1);
  const bool reducing = step < n - 1;
  const int segment = reducing ? (r - step - 1 + n) % n : (r - (step - (n - 1)) + n) % n;
  const Span1d block = blockOf(ring.args.count, n, segment);
  const std::size_t chunks = chunkCount(block.count, ring.chunkElements);
  const bool useScratch = reducing && ring.args.inPlace();
  const std::size_t slotBytes = ring.chunkElements * ring.elementSize;

  std::deque<Request> posted;
  std::size_t nextPost = 0;
  auto post = [&]() -> Status {
    const Span1d chunk = chunkOf(block, ring.chunkElements, nextPost);
    std::span<std::byte> target =
        useScratch
            ? ring.scratch.subspan((nextPost % kWindow) * slotBytes, chunk.count * ring.elementSize)
            : ring.region(ring.out, chunk);
    auto request = ring.comm.irecv(ring.left, target, kTag);
    if (!request) return request.error();
    posted.push_back(*request);
    ++nextPost;
    return okStatus();
  };
  while (nextPost < std::min(kWindow, chunks)) TOPOPLAN_TRY(post());

  for (std::size_t k = 0; k < chunks; ++k) {
    TOPOPLAN_TRY(ring.comm.wait(posted.front()));
    posted.pop_front();
    const Span1d chunk = chunkOf(block, ring.chunkElements, k);
    if (reducing) {
      const std::byte* partner = useScratch ? ring.scratch.data() + (k % kWindow) * slotBytes
                                            : ring.in + chunk.offset * ring.elementSize;
      reduceInto(ring.args.type, ring.args.op, ring.out + chunk.offset * ring.elementSize, partner,
                 chunk.count);
    }
    if (nextPost < chunks) TOPOPLAN_TRY(post());
    if (step + 1 < steps) {
      auto request = ring.comm.isend(
          ring.right, ring.region(static_cast<const std::byte*>(ring.out), chunk), kTag);
      if (!request) return request.error();
      sends.push_back(*request);
    }
  }
  return okStatus();
}

}  // namespace

Status RingAllreduce::run(Comm& comm, const AllreduceArgs& args) {
  const int n = comm.size();
  const int r = comm.rank();
  const auto* in = static_cast<const std::byte*>(args.send);
  auto* out = static_cast<std::byte*>(args.recv);
  if (n == 1 || args.count == 0) {
    if (!args.inPlace() && args.count > 0) std::memcpy(out, in, args.bytes());
    return okStatus();
  }
  const std::size_t elementSize = sizeOf(args.type);
  const std::size_t chunkElements = std::max<std::size_t>(1, options_.chunkBytes / elementSize);
  // In-place, a received partial cannot land on our own input: it goes to a scratch slot first.
  const std::size_t scratchBytes = args.inPlace() ? kWindow * chunkElements * elementSize : 0;
  if (scratch_.size() < scratchBytes) scratch_.resize(scratchBytes);
  const Ring ring{comm,
                  args,
                  n,
                  r,
                  (r + 1) % n,
                  (r - 1 + n) % n,
                  elementSize,
                  chunkElements,
                  in,
                  out,
                  std::span(scratch_).first(scratchBytes)};

  std::vector<Request> sends;
  const Span1d own = blockOf(args.count, n, r);
  for (std::size_t k = 0; k < chunkCount(own.count, chunkElements); ++k) {
    auto request = comm.isend(ring.right, ring.region(in, chunkOf(own, chunkElements, k)), kTag);
    if (!request) return request.error();
    sends.push_back(*request);
  }
  std::size_t sendsBeforeLastReduceStep = 0;
  for (int step = 0; step < 2 * (n - 1); ++step) {
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
    TOPOPLAN_TRY(ringStep(ring, step, sends));
  }
  return comm.waitAll(sends);
}

}  // namespace topoplan
