// Element types and reduction operators shared by kernels, algorithms and records.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace topoplan {

enum class DataType { kFloat, kDouble, kInt32, kBf16, kHalf };
enum class ReduceOp { kSum, kProd, kMin, kMax };

inline constexpr DataType kAllDataTypes[] = {DataType::kFloat, DataType::kDouble, DataType::kInt32,
                                             DataType::kBf16, DataType::kHalf};
inline constexpr ReduceOp kAllReduceOps[] = {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kMin,
                                             ReduceOp::kMax};

std::size_t sizeOf(DataType type);
std::string_view name(DataType type);  // "float", "double", "int32", "bf16", "half"
std::string_view name(ReduceOp op);    // "sum", "prod", "min", "max"

Result<DataType> parseDataType(std::string_view text);
Result<ReduceOp> parseReduceOp(std::string_view text);

// Comma-separated lists, or "all".
Result<std::vector<DataType>> parseDataTypes(std::string_view text);
Result<std::vector<ReduceOp>> parseReduceOps(std::string_view text);

// Splits "a,b,,c" into {"a", "b", "c"}.
std::vector<std::string_view> splitList(std::string_view text, char separator = ',');

}  // namespace topoplan
