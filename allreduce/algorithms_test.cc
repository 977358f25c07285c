// Every own algorithm against ThreadComm: world sizes 1-16, counts {0, 1, odd, several chunks
// per segment}, every type and op, in place and out of place, checked element by element.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "allreduce/registry.h"
#include "core/thread_comm.h"
#include "kernels/cpu/pattern.h"

namespace topoplan {
namespace {

constexpr std::size_t kChunkBytes = 64;  // small, so modest counts span many chunks

Status runAllCombinations(Comm& comm, AllreduceAlgorithm& algorithm, std::size_t count) {
  const int n = comm.size();
  const int r = comm.rank();
  for (DataType type : kAllDataTypes) {
    for (ReduceOp op : kAllReduceOps) {
      for (bool inPlace : {false, true}) {
        const std::size_t bytes = count * sizeOf(type);
        std::vector<std::byte> send(bytes), recv(bytes, std::byte{0xff});
        fillPattern(type, op, r, n, inPlace ? recv.data() : send.data(), count);
        AllreduceArgs args{inPlace ? recv.data() : send.data(), recv.data(), count, type, op};
        const std::string what = std::string(algorithm.name()) + " n=" + std::to_string(n) +
                                 " count=" + std::to_string(count) + " " + std::string(name(type)) +
                                 " " + std::string(name(op)) +
                                 (inPlace ? " in-place" : " out-of-place");
        Status status = algorithm.run(comm, args);
        if (!status) return status.error().context(what);
        const std::uint64_t wrong = countWrongResults(type, op, n, recv.data(), count);
        if (wrong != 0) {
          return Error(what + ": rank " + std::to_string(r) + " has " + std::to_string(wrong) +
                       " wrong elements");
        }
        if (!inPlace && countWrongInputs(type, op, r, n, send.data(), count) != 0) {
          return Error(what + ": the send buffer was modified");
        }
      }
    }
  }
  return okStatus();
}

class AlgorithmTest : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(AlgorithmTest, ExactResultForEveryTypeOpCountAndPlacement) {
  const std::string algo = std::get<0>(GetParam());  // a lambda captures no structured binding
  const int n = std::get<1>(GetParam());             // in C++20 under clang 14
  const std::size_t severalChunks = 3 * static_cast<std::size_t>(n) * kChunkBytes / 2 + 7;
  for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{101}, severalChunks}) {
    auto statuses = ThreadWorld::run(
        n,
        [&](Comm& comm) -> Status {
          auto algorithm = makeOwnAlgorithm(algo, AlgorithmOptions{kChunkBytes});
          return runAllCombinations(comm, *algorithm, count);
        },
        std::chrono::seconds(10));
    for (int r = 0; r < n; ++r) {
      ASSERT_TRUE(statuses[r].ok()) << "rank " << r << ": " << statuses[r].error().message();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AlgorithmTest,
                         ::testing::Combine(::testing::Values("ring", "rhd", "tree"),
                                            ::testing::Range(1, 17)),
                         [](const auto& info) {
                           return std::get<0>(info.param) + "_" +
                                  std::to_string(std::get<1>(info.param)) + "ranks";
                         });

TEST(Registry, KnowsItsAlgorithms) {
  for (std::string_view name : ownAlgorithmNames()) {
    auto algorithm = makeOwnAlgorithm(name);
    ASSERT_NE(algorithm, nullptr);
    EXPECT_EQ(algorithm->name(), name);
  }
  EXPECT_EQ(makeOwnAlgorithm("mpi"), nullptr);
}

}  // namespace
}  // namespace topoplan
