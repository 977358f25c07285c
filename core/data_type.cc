#include "core/data_type.h"

#include <string>

namespace topoplan {

std::size_t sizeOf(DataType type) {
  switch (type) {
    case DataType::kFloat:
      return 4;
    case DataType::kDouble:
      return 8;
    case DataType::kInt32:
      return 4;
    case DataType::kBf16:
      return 2;
    case DataType::kHalf:
      return 2;
  }
  return 0;
}

std::string_view name(DataType type) {
  switch (type) {
    case DataType::kFloat:
      return "float";
    case DataType::kDouble:
      return "double";
    case DataType::kInt32:
      return "int32";
    case DataType::kBf16:
      return "bf16";
    case DataType::kHalf:
      return "half";
  }
  return "?";
}

std::string_view name(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return "sum";
    case ReduceOp::kProd:
      return "prod";
    case ReduceOp::kMin:
      return "min";
    case ReduceOp::kMax:
      return "max";
  }
  return "?";
}

std::vector<std::string_view> splitList(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    const std::size_t end = text.find(separator);
    std::string_view part = text.substr(0, end);
    if (!part.empty()) parts.push_back(part);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return parts;
}

Result<DataType> parseDataType(std::string_view text) {
  for (DataType type : kAllDataTypes) {
    if (text == name(type)) return type;
  }
  if (text == "bfloat16") return DataType::kBf16;
  if (text == "float16" || text == "fp16") return DataType::kHalf;
  if (text == "float32" || text == "fp32") return DataType::kFloat;
  if (text == "float64" || text == "fp64") return DataType::kDouble;
  return Error("data type '" + std::string(text) +
               "': expected float, double, int32, bf16 or half");
}

Result<ReduceOp> parseReduceOp(std::string_view text) {
  for (ReduceOp op : kAllReduceOps) {
    if (text == name(op)) return op;
  }
  return Error("reduction '" + std::string(text) + "': expected sum, prod, min or max");
}

template <typename T, typename Parse, std::size_t N>
static Result<std::vector<T>> parseList(std::string_view text, const T (&all)[N], Parse parse) {
  if (text == "all") return std::vector<T>(std::begin(all), std::end(all));
  std::vector<T> values;
  for (std::string_view part : splitList(text)) {
    auto value = parse(part);
    if (!value) return value.error();
    values.push_back(*value);
  }
  if (values.empty()) return Error("empty list: expected one or more names, or 'all'");
  return values;
}

Result<std::vector<DataType>> parseDataTypes(std::string_view text) {
  return parseList(text, kAllDataTypes, parseDataType);
}

Result<std::vector<ReduceOp>> parseReduceOps(std::string_view text) {
  return parseList(text, kAllReduceOps, parseReduceOp);
}

}  // namespace topoplan
