// Ratio benchmark, run under mpirun: own ring AllReduce against MPI_Allreduce in the same run.
//
//   mpirun -np 4 build/bench/allreduce_vs_mpi [-b 1M] [-e 64M] [-n 20] [-w 5] [--chunk 256K]
//   [--repeats 3]
//
// For each size the two algorithms run back to back, alternating --repeats times (same warm-up
// and iteration counts, float sum, out-of-place and in-place), so drift in the machine's state
// hits both alike. Each busbw is the median over the repeats of each sweep's median-time busbw.
// Prints busbw of each and ring / mpi; the goal is >= 1.0 from 4 MiB up.
#include <mpi.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "allreduce/mpi/mpi_allreduce.h"
#include "allreduce/ring.h"
#include "allreduce/sweep.h"
#include "core/units.h"
#include "probes/transport/mpi_comm.h"

int main(int argc, char** argv) {
  using namespace topoplan;
  std::string minText = "1M", maxText = "64M", chunkText = "256K";
  int iters = 20, warmup = 5, repeats = 3;
  CLI::App app{"own ring AllReduce / MPI_Allreduce, busbw ratio per size"};
  app.add_option("-b", minText)->capture_default_str();
  app.add_option("-e", maxText)->capture_default_str();
  app.add_option("-n", iters)->capture_default_str();
  app.add_option("-w", warmup)->capture_default_str();
  app.add_option("--chunk", chunkText)->capture_default_str();
  app.add_option("--repeats", repeats)->capture_default_str()->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  auto minBytes = parseSize(minText, "-b");
  auto maxBytes = parseSize(maxText, "-e");
  auto chunk = parseSize(chunkText, "--chunk");
  if (!minBytes || !maxBytes || !chunk) {
    std::fprintf(stderr, "bad size: expected e.g. 1M, 64M\n");
    return 2;
  }

  MPI_Init(&argc, &argv);
  {
    MpiComm comm(MPI_COMM_WORLD);
    MpiAllreduce mpi(MPI_COMM_WORLD);
    RingAllreduce ring(AlgorithmOptions{*chunk});
    const bool root = comm.rank() == 0;
    if (root) {
      std::printf("# %d ranks, float sum, %d warm-up + %d timed iterations per size, %d repeats\n",
                  comm.size(), warmup, iters, repeats);
      std::printf("#  %10s  %9s  %12s  %12s  %10s\n", "size", "placement", "mpi busbw",
                  "ring busbw", "ring/mpi");
    }
    double worstLarge = 1e300;
    SweepConfig config;
    config.warmup = warmup;
    config.iters = iters;
    config.stepFactor = 2;
    for (std::uint64_t size = *minBytes; size <= *maxBytes; size *= 2) {
      config.minBytes = config.maxBytes = size;
      // busbw[algorithm][placement] over the repeats.
      std::vector<double> busbw[2][2];
      for (int repeat = 0; repeat < repeats; ++repeat) {
        AllreduceAlgorithm* algorithms[2] = {&mpi, &ring};
        for (int a = 0; a < 2; ++a) {
          auto records = runSweep(comm, *algorithms[a], config);
          if (!records) {
            std::fprintf(stderr, "rank %d: %s\n", comm.rank(), records.error().message().c_str());
            MPI_Abort(MPI_COMM_WORLD, 3);
          }
          for (const AllreduceRecord& record : *records) {
            busbw[a][record.in_place ? 1 : 0].push_back(record.busbw_gbps);
          }
        }
      }
      for (int placement = 0; placement < 2; ++placement) {
        const double m = summarize(busbw[0][placement]).median;
        const double r = summarize(busbw[1][placement]).median;
        const double ratio = m > 0 ? r / m : 0;
        if (size >= (4ULL << 20)) worstLarge = std::min(worstLarge, ratio);
        if (root) {
          std::printf("   %10s  %9s  %7.3f GB/s  %7.3f GB/s  %9.2fx\n", formatSize(size).c_str(),
                      placement == 1 ? "in-place" : "out", m, r, ratio);
        }
      }
    }
    if (root && worstLarge < 1e300) {
      std::printf("# worst ring/mpi from 4M up: %.2fx (goal >= 1.0x)\n", worstLarge);
    }
  }
  MPI_Finalize();
  return 0;
}
