#include "allreduce/tree.h"

#include <array>
#include <cstring>
#include <vector>

#include "allreduce/partition.h"
#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

constexpr int kTag = 103;

}  // namespace

Status TreeAllreduce::run(Comm& comm, const AllreduceArgs& args) {
  const int n = comm.size();
  const int r = comm.rank();
  const std::size_t elementSize = sizeOf(args.type);
  auto* out = static_cast<std::byte*>(args.recv);
  if (!args.inPlace() && args.count > 0) std::memcpy(out, args.send, args.bytes());
  if (n == 1 || args.count == 0) return okStatus();

  const int parent = r == 0 ? -1 : (r - 1) / 2;
  std::vector<int> children;
  for (int child : {2 * r + 1, 2 * r + 2}) {
    if (child < n) children.push_back(child);
  }
  const std::size_t chunkElements = std::max<std::size_t>(1, options_.chunkBytes / elementSize);
  const Span1d whole{0, args.count};
  const std::size_t chunks = chunkCount(args.count, chunkElements);
  auto region = [&](std::size_t k) {
    const Span1d chunk = chunkOf(whole, chunkElements, k);
    return std::span(out + chunk.offset * elementSize, chunk.count * elementSize);
  };

  // Reduce. Two scratch slots per child: chunk k+1 arrives while chunk k is being reduced.
  const std::size_t slotBytes = chunkElements * elementSize;
  if (scratch_.size() < children.size() * 2 * slotBytes) {
    scratch_.resize(children.size() * 2 * slotBytes);
  }
  const std::span<std::byte> scratch(scratch_);
  std::array<std::array<Request, 2>, 2> pending{};
  auto postChildren = [&](std::size_t k) -> Status {
    for (std::size_t c = 0; c < children.size(); ++c) {
      auto slot = scratch.subspan((c * 2 + k % 2) * slotBytes, region(k).size());
      auto request = comm.irecv(children[c], slot, kTag);
      if (!request) return request.error();
      pending[c][k % 2] = *request;
    }
    return okStatus();
  };
  std::vector<Request> sends;
  TOPOPLAN_TRY(postChildren(0));
  for (std::size_t k = 0; k < chunks; ++k) {
    if (k + 1 < chunks) TOPOPLAN_TRY(postChildren(k + 1));
    auto chunk = region(k);
    for (std::size_t c = 0; c < children.size(); ++c) {
      TOPOPLAN_TRY(comm.wait(pending[c][k % 2]));
      reduceInto(args.type, args.op, chunk.data(), scratch.data() + (c * 2 + k % 2) * slotBytes,
                 chunk.size() / elementSize);
    }
    if (parent >= 0) {
      auto request = comm.isend(parent, chunk, kTag);
      if (!request) return request.error();
      sends.push_back(*request);
    }
  }
  // The broadcast overwrites chunks that the sends to the parent may still be reading.
  TOPOPLAN_TRY(comm.waitAll(sends));

  // Broadcast.
  std::vector<Request> fromParent;
  if (parent >= 0) {
    for (std::size_t k = 0; k < chunks; ++k) {
      auto request = comm.irecv(parent, region(k), kTag);
      if (!request) return request.error();
      fromParent.push_back(*request);
    }
  }
  for (std::size_t k = 0; k < chunks; ++k) {
    if (parent >= 0) TOPOPLAN_TRY(comm.wait(fromParent[k]));
    for (int child : children) {
      auto request = comm.isend(child, region(k), kTag);
      if (!request) return request.error();
      sends.push_back(*request);
    }
  }
  return comm.waitAll(sends);
}

}  // namespace topoplan
