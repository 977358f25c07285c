#include "core/data_type.h"

#include <gtest/gtest.h>

namespace topoplan {
namespace {

TEST(DataType, NamesRoundTrip) {
  for (DataType type : kAllDataTypes) EXPECT_EQ(*parseDataType(name(type)), type);
  for (ReduceOp op : kAllReduceOps) EXPECT_EQ(*parseReduceOp(name(op)), op);
  EXPECT_EQ(*parseDataType("bfloat16"), DataType::kBf16);
  EXPECT_EQ(sizeOf(DataType::kDouble), 8u);
  EXPECT_EQ(sizeOf(DataType::kHalf), 2u);
}

TEST(DataType, ParsesListsAndAll) {
  EXPECT_EQ(parseDataTypes("all")->size(), 5u);
  EXPECT_EQ(*parseReduceOps("sum,max"), (std::vector{ReduceOp::kSum, ReduceOp::kMax}));
  auto bad = parseDataTypes("float,quad");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("'quad'"), std::string::npos);
  EXPECT_FALSE(parseReduceOps(",").ok());
}

}  // namespace
}  // namespace topoplan
