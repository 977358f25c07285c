#include "placement/hostlist.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

namespace topoplan {
namespace {

// Splits at commas that are outside brackets.
Result<std::vector<std::string_view>> topLevelItems(std::string_view expression) {
  std::vector<std::string_view> items;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= expression.size(); ++i) {
    const char c = i < expression.size() ? expression[i] : ',';
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (depth < 0 || depth > 1) break;
    if (c == ',' && depth == 0) {
      if (i > start) items.push_back(expression.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) {
    return Error("hostlist '" + std::string(expression) + "': unbalanced or nested brackets");
  }
  return items;
}

}  // namespace

namespace {

// The numbers of one bracket's ranges ("01-03,07"), as text with the low end's zero padding.
Result<std::vector<std::string>> rangeNumbers(std::string_view expression, std::string_view ranges,
                                              std::size_t limit) {
  std::vector<std::string> numbers;
  while (!ranges.empty()) {
    const std::size_t comma = ranges.find(',');
    const std::string_view range = ranges.substr(0, comma);
    ranges = comma == std::string_view::npos ? std::string_view() : ranges.substr(comma + 1);
    const std::size_t dash = range.find('-');
    const std::string_view lowText = range.substr(0, dash);
    const std::string_view highText =
        dash == std::string_view::npos ? lowText : range.substr(dash + 1);
    unsigned long low = 0, high = 0;
    auto a = std::from_chars(lowText.data(), lowText.data() + lowText.size(), low);
    auto b = std::from_chars(highText.data(), highText.data() + highText.size(), high);
    if (lowText.empty() || highText.empty() || a.ec != std::errc() || b.ec != std::errc() ||
        a.ptr != lowText.data() + lowText.size() || b.ptr != highText.data() + highText.size() ||
        high < low) {
      return Error("hostlist '" + std::string(expression) + "': range '" + std::string(range) +
                   "': expected N or N-M with N <= M");
    }
    if (high - low >= limit || numbers.size() + (high - low) >= limit) {
      return Error("hostlist '" + std::string(expression) + "': more than " +
                   std::to_string(limit) + " names");
    }
    for (unsigned long value = low; value <= high; ++value) {
      std::string number = std::to_string(value);
      if (number.size() < lowText.size()) number.insert(0, lowText.size() - number.size(), '0');
      numbers.push_back(std::move(number));
    }
  }
  return numbers;
}

// One item, every bracket expanded, the first varying slowest (as Slurm: r[1-2]n[1-2] is r1n1,
// r1n2, r2n1, r2n2).
Result<std::vector<std::string>> expandItem(std::string_view expression, std::string_view item,
                                            std::size_t limit) {
  const std::size_t open = item.find('[');
  if (open == std::string_view::npos) return std::vector<std::string>{std::string(item)};
  const std::size_t close = item.find(']', open);
  auto numbers = rangeNumbers(expression, item.substr(open + 1, close - open - 1), limit);
  if (!numbers) return numbers.error();
  auto rest = expandItem(expression, item.substr(close + 1), limit);
  if (!rest) return rest.error();
  if (numbers->size() * rest->size() > limit)
    return Error("hostlist '" + std::string(expression) + "': more than " + std::to_string(limit) +
                 " names");
  const std::string prefix(item.substr(0, open));
  std::vector<std::string> names;
  for (const std::string& number : *numbers)
    for (const std::string& tail : *rest) names.push_back(prefix + number + tail);
  return names;
}

}  // namespace

Result<std::vector<std::string>> expandHostlist(std::string_view expression, std::size_t limit) {
  auto items = topLevelItems(expression);
  if (!items) return items.error();
  std::vector<std::string> names;
  for (std::string_view item : *items) {
    auto expanded = expandItem(expression, item, limit);
    if (!expanded) return expanded.error();
    if (names.size() + expanded->size() > limit)
      return Error("hostlist '" + std::string(expression) + "': more than " +
                   std::to_string(limit) + " names");
    names.insert(names.end(), expanded->begin(), expanded->end());
  }
  return names;
}

std::string compressHostlist(const std::vector<std::string>& names) {
  // Group by (prefix, width of the trailing number).
  std::map<std::pair<std::string, std::size_t>, std::vector<unsigned long>> groups;
  std::vector<std::pair<std::string, std::size_t>> order;
  std::vector<std::string> plain;
  for (const std::string& name : names) {
    std::size_t digits = 0;
    while (digits < name.size() && digits < 18 &&
           std::isdigit(static_cast<unsigned char>(name[name.size() - 1 - digits]))) {
      ++digits;
    }
    if (digits == 0) {
      plain.push_back(name);
      order.emplace_back(name, 0);
      continue;
    }
    const std::pair<std::string, std::size_t> key{name.substr(0, name.size() - digits), digits};
    if (!groups.count(key)) order.push_back(key);
    groups[key].push_back(std::stoul(name.substr(name.size() - digits)));
  }
  std::string result;
  for (const auto& key : order) {
    if (!result.empty()) result += ',';
    if (key.second == 0) {
      result += key.first;
      continue;
    }
    std::vector<unsigned long>& values = groups[key];
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    auto pad = [&](unsigned long v) {
      std::string s = std::to_string(v);
      if (s.size() < key.second) s.insert(0, key.second - s.size(), '0');
      return s;
    };
    if (values.size() == 1) {
      result += key.first + pad(values.front());
      continue;
    }
    result += key.first + "[";
    for (std::size_t i = 0; i < values.size();) {
      std::size_t j = i;
      while (j + 1 < values.size() && values[j + 1] == values[j] + 1) ++j;
      if (i > 0) result += ',';
      result += pad(values[i]);
      if (j > i) result += "-" + pad(values[j]);
      i = j + 1;
    }
    result += "]";
  }
  return result;
}

}  // namespace topoplan
