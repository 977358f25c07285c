#include "allreduce/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "core/units.h"

namespace topoplan {
namespace {

// Rank 0's configuration as plain bytes for one broadcast.
struct WireConfig {
  std::uint64_t minBytes, maxBytes, stepBytes;
  double stepFactor;
  std::int32_t warmup, iters;
  std::uint8_t check, outOfPlace, inPlace, typeCount, opCount;
  std::uint8_t types[8], ops[8];
};

std::string describe(const AllreduceAlgorithm& algorithm, std::uint64_t bytes, DataType type,
                     ReduceOp op, bool inPlace) {
  return std::string(algorithm.name()) + ", " + std::to_string(bytes) + " bytes " +
         std::string(name(type)) + " " + std::string(name(op)) +
         (inPlace ? " in-place" : " out-of-place");
}

Result<std::uint64_t> sumOverRanks(Comm& comm, std::uint64_t mine) {
  auto all = comm.allgatherValues(std::vector<std::uint64_t>{mine});
  if (!all) return all.error();
  std::uint64_t total = 0;
  for (std::uint64_t value : *all) total += value;
  return total;
}

// The untimed verification pass: wrong elements over all ranks.
Result<std::uint64_t> checkPass(Comm& comm, AllreduceAlgorithm& algorithm, SweepBuffers& buffers,
                                AllreduceArgs args, void* send) {
  const int n = comm.size();
  const int r = comm.rank();
  if (args.inPlace()) {
    TOPOPLAN_TRY(buffers.fill(args.type, args.op, r, n, args.recv, args.count));
  } else {
    TOPOPLAN_TRY(buffers.fill(args.type, args.op, r, n, send, args.count));
    TOPOPLAN_TRY(buffers.poison(args.recv, args.bytes()));
  }
  TOPOPLAN_TRY(algorithm.run(comm, args));
  auto wrong = buffers.wrongResults(args.type, args.op, n, args.recv, args.count);
  if (!wrong) return wrong.error();
  if (!args.inPlace()) {
    auto changed = buffers.wrongInputs(args.type, args.op, r, n, send, args.count);
    if (!changed) return changed.error();
    *wrong += *changed;
  }
  return sumOverRanks(comm, *wrong);
}

}  // namespace

Status validate(const SweepConfig& config) {
  if (config.minBytes > config.maxBytes) {
    return Error("-b " + std::to_string(config.minBytes) + " is larger than -e " +
                 std::to_string(config.maxBytes) + ": expected minbytes <= maxbytes");
  }
  if (config.stepBytes == 0 && !(config.stepFactor > 1.0 && std::isfinite(config.stepFactor))) {
    return Error("-f " + std::to_string(config.stepFactor) + ": expected a step factor above 1");
  }
  if (config.warmup < 0) return Error("-w: expected a non-negative warm-up count");
  if (config.iters < 1) return Error("-n: expected at least one iteration");
  if (config.types.empty() || config.types.size() > 8) return Error("-d: expected 1 to 8 types");
  if (config.ops.empty() || config.ops.size() > 8) return Error("-o: expected 1 to 8 ops");
  if (!config.inPlace && !config.outOfPlace) {
    return Error("expected in-place, out-of-place or both to be measured");
  }
  return okStatus();
}

Status checkBuffers(const SweepConfig& config) {
  return checkHostBuffers(config.maxBytes);
}

std::vector<std::uint64_t> sweepSizes(const SweepConfig& config) {
  std::vector<std::uint64_t> sizes;
  std::uint64_t size = config.minBytes;
  while (size <= config.maxBytes) {
    sizes.push_back(size);
    std::uint64_t next = 0;
    if (config.stepBytes > 0) {
      next = size + config.stepBytes;
    } else if (size == 0) {
      next = 1;
    } else {
      const double scaled = std::round(static_cast<double>(size) * config.stepFactor);
      if (scaled >= 1.8e19) break;
      next = std::max(size + 1, static_cast<std::uint64_t>(scaled));
    }
    if (next <= size) break;  // overflow
    size = next;
  }
  return sizes;
}

Status agreeOnConfig(Comm& comm, SweepConfig& config) {
  WireConfig wire{};
  if (comm.rank() == 0) {
    TOPOPLAN_TRY(validate(config));
    wire = {config.minBytes,
            config.maxBytes,
            config.stepBytes,
            config.stepFactor,
            config.warmup,
            config.iters,
            config.check,
            config.outOfPlace,
            config.inPlace,
            static_cast<std::uint8_t>(config.types.size()),
            static_cast<std::uint8_t>(config.ops.size()),
            {},
            {}};
    for (std::size_t i = 0; i < wire.typeCount && i < std::size(wire.types); ++i) {
      wire.types[i] = static_cast<std::uint8_t>(config.types[i]);
    }
    for (std::size_t i = 0; i < wire.opCount && i < std::size(wire.ops); ++i) {
      wire.ops[i] = static_cast<std::uint8_t>(config.ops[i]);
    }
  }
  TOPOPLAN_TRY(comm.broadcastValue(wire, 0));
  config.minBytes = wire.minBytes;
  config.maxBytes = wire.maxBytes;
  config.stepBytes = wire.stepBytes;
  config.stepFactor = wire.stepFactor;
  config.warmup = wire.warmup;
  config.iters = wire.iters;
  config.check = wire.check != 0;
  config.outOfPlace = wire.outOfPlace != 0;
  config.inPlace = wire.inPlace != 0;
  config.types.clear();
  for (int i = 0; i < wire.typeCount; ++i) config.types.push_back(DataType(wire.types[i]));
  config.ops.clear();
  for (int i = 0; i < wire.opCount; ++i) config.ops.push_back(ReduceOp(wire.ops[i]));
  return validate(config);
}

Result<std::vector<AllreduceRecord>> runSweep(Comm& comm, AllreduceAlgorithm& algorithm,
                                              const SweepConfig& config,
                                              const RecordCallback& onRecord) {
  TOPOPLAN_TRY(validate(config));
  const int n = comm.size();
  const int r = comm.rank();
  std::unique_ptr<SweepBuffers> buffers = algorithm.makeBuffers();
  TOPOPLAN_TRY(buffers->reserve(config.maxBytes));
  void* send = buffers->send();
  void* recv = buffers->recv();
  std::vector<AllreduceRecord> records;
  std::vector<double> timesUs(static_cast<std::size_t>(config.iters));

  for (DataType type : config.types) {
    for (ReduceOp op : config.ops) {
      for (std::uint64_t size : sweepSizes(config)) {
        const std::size_t count = size / sizeOf(type);
        for (bool inPlace : {false, true}) {
          if (inPlace ? !config.inPlace : !config.outOfPlace) continue;
          AllreduceArgs args{inPlace ? recv : send, recv, count, type, op};
          const std::string what = describe(algorithm, args.bytes(), type, op, inPlace);
          AllreduceRecord record;
          record.algo = algorithm.name();
          record.bytes = args.bytes();
          record.count = count;
          record.dtype = name(type);
          record.op = name(op);
          record.in_place = inPlace;
          if (config.check) {
            auto wrong = checkPass(comm, algorithm, *buffers, args, send);
            if (!wrong) return wrong.error().context(what);
            record.wrong = *wrong;
          }
          Status filled = buffers->fill(type, op, r, n, inPlace ? recv : send, count);
          if (!filled) return filled.error().context(what);
          for (int i = 0; i < config.warmup; ++i) {
            Status status = algorithm.run(comm, args);
            if (!status) return status.error().context(what);
          }
          for (int i = 0; i < config.iters; ++i) {
            TOPOPLAN_TRY(comm.barrier());
            auto timeUs = buffers->time([&] { return algorithm.run(comm, args); });
            if (!timeUs) return timeUs.error().context(what);
            timesUs[static_cast<std::size_t>(i)] = *timeUs;
          }
          auto all = comm.allgatherValues(timesUs);
          if (!all) return all.error().context(what);
          std::vector<double> slowest(timesUs.size(), 0.0);
          for (std::size_t rank = 0; rank < static_cast<std::size_t>(n); ++rank) {
            for (std::size_t i = 0; i < timesUs.size(); ++i) {
              slowest[i] = std::max(slowest[i], (*all)[rank * timesUs.size() + i]);
            }
          }
          record.time_us = summarize(slowest);
          record.samples_us = slowest;
          record.algbw_gbps = gbps(record.bytes, record.time_us.median / kMicrosPerSecond);
          record.busbw_gbps = record.algbw_gbps * allreduceBusFactor(n);
          if (onRecord) onRecord(record);
          records.push_back(std::move(record));
        }
      }
    }
  }
  return records;
}

}  // namespace topoplan
