#include "core/index_list.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

TEST(IndexList, ReadsRangesInTheOrderWrittenAndWritesThemMerged) {
  auto read = parseIndexList("4-6,0,2-3", 100);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, (std::vector<int>{4, 5, 6, 0, 2, 3}));
  EXPECT_EQ(formatIndexList(*read), "0,2-6");
  EXPECT_EQ(formatIndexList({24, 0, 1, 23, 2, 1}), "0-2,23-24");
  EXPECT_EQ(formatIndexList({}), "");
}

TEST(IndexList, ErrorsQuoteTheRange) {
  EXPECT_EQ(parseIndexList("0,3-1", 100).error().message(),
            "range '3-1', expected N or N-M (N <= M <= 100)");
  EXPECT_FALSE(parseIndexList("", 100).ok());
  EXPECT_FALSE(parseIndexList("0,,1", 100).ok());
  EXPECT_FALSE(parseIndexList("-1", 100).ok());
  EXPECT_FALSE(parseIndexList("0-101", 100).ok());
  EXPECT_FALSE(parseIndexList("x", 100).ok());
}

}  // namespace
}  // namespace topoplan
