#include "allreduce/rhd.h"

#include <cstring>
#include <vector>

#include "allreduce/partition.h"
#include "kernels/cpu/reduce.h"

namespace topoplan {
namespace {

constexpr int kTag = 102;

}  // namespace

Status RhdAllreduce::run(Comm& comm, const AllreduceArgs& args) {
  const int n = comm.size();
  const int r = comm.rank();
  const std::size_t elementSize = sizeOf(args.type);
  auto* out = static_cast<std::byte*>(args.recv);
  if (!args.inPlace() && args.count > 0) std::memcpy(out, args.send, args.bytes());
  if (n == 1 || args.count == 0) return okStatus();
  auto region = [&](Span1d span) {
    return std::span(out + span.offset * elementSize, span.count * elementSize);
  };
  const Span1d whole{0, args.count};

  int p = 1;
  while (p * 2 <= n) p *= 2;
  const int q = n - p;
  if (scratch_.size() < args.bytes()) scratch_.resize(args.bytes());
  const std::span<std::byte> scratch = std::span(scratch_).first(args.bytes());

  // Fix-up in: even ranks below 2q hand their vector to the odd rank above.
  int vrank = r - q;  // rank among the p participants, or -1 for ranks that sit out
  if (r < 2 * q) {
    if (r % 2 == 0) {
      TOPOPLAN_TRY(comm.send(r + 1, region(whole), kTag));
      vrank = -1;
    } else {
      TOPOPLAN_TRY(comm.recv(r - 1, scratch, kTag));
      reduceInto(args.type, args.op, out, scratch.data(), args.count);
      vrank = r / 2;
    }
  }
  auto realRank = [q](int v) { return v < q ? 2 * v + 1 : v + q; };

  if (vrank >= 0) {
    std::vector<Span1d> windows;
    Span1d window = whole;
    for (int distance = p / 2; distance >= 1; distance /= 2) {
      const int partner = realRank(vrank ^ distance);
      const Span1d lower{window.offset, window.count / 2};
      const Span1d upper{window.offset + lower.count, window.count - lower.count};
      const bool keepLower = (vrank & distance) == 0;
      const Span1d keep = keepLower ? lower : upper;
      const Span1d give = keepLower ? upper : lower;
      TOPOPLAN_TRY(comm.sendrecv(partner, region(give), partner,
                                 scratch.first(keep.count * elementSize), kTag));
      reduceInto(args.type, args.op, out + keep.offset * elementSize, scratch.data(), keep.count);
      windows.push_back(window);
      window = keep;
    }
    for (int distance = 1; distance < p; distance *= 2) {
      const int partner = realRank(vrank ^ distance);
      const Span1d parent = windows.back();
      windows.pop_back();
      const Span1d lower{parent.offset, parent.count / 2};
      const Span1d upper{parent.offset + lower.count, parent.count - lower.count};
      const Span1d theirs = (vrank & distance) == 0 ? upper : lower;
      TOPOPLAN_TRY(comm.sendrecv(partner, region(window), partner, region(theirs), kTag));
      window = parent;
    }
  }

  // Fix-up out: odd ranks below 2q return the result.
  if (r < 2 * q) {
    if (r % 2 == 1) return comm.send(r - 1, region(whole), kTag);
    return comm.recv(r + 1, region(whole), kTag);
  }
  return okStatus();
}

}  // namespace topoplan
