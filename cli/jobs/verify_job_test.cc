#include "cli/jobs/verify_job.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

// Up to G ranks of each host of the candidate, in rank order; hosts without a rank named.
TEST(VerifyJob, CandidateRanksTakeUpToGRanksPerHostInRankOrder) {
  const std::vector<std::string> rankHosts = {"b", "a", "b", "a", "b", "c"};
  const std::vector<int> localRanks = {0, 0, 1, 1, 2, 0};
  const CandidateRanks two = candidateRanks({"b", "a"}, rankHosts, localRanks, 2);
  EXPECT_EQ(two.ranks, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(two.missing.empty());
  EXPECT_EQ(two.fewest, 2);
  const CandidateRanks all = candidateRanks({"b", "c"}, rankHosts, localRanks, 8);
  EXPECT_EQ(all.ranks, (std::vector<int>{0, 2, 4, 5}));
  EXPECT_EQ(all.fewest, 1);  // c has one rank of the 8 asked
  const CandidateRanks missing = candidateRanks({"a", "d", "e"}, rankHosts, localRanks, 1);
  EXPECT_EQ(missing.ranks, (std::vector<int>{1}));
  EXPECT_EQ(missing.missing, (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(missing.fewest, 0);
}

}  // namespace
}  // namespace topoplan
