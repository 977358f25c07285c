#include "core/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace topoplan {

double gbps(std::uint64_t bytes, double seconds) {
  if (seconds <= 0) return 0.0;
  return static_cast<double>(bytes) / seconds / kBytesPerGB;
}

Result<std::uint64_t> parseSize(std::string_view text, std::string_view what) {
  std::string quoted(text);
  quoted.insert(0, 1, '\'');
  quoted.push_back('\'');
  auto fail = [&](const std::string& expected) {
    return Error(std::string(what) + ": " + quoted + ": expected " + expected);
  };
  if (text.empty()) return fail("a size such as 8, 64K, 128M or 1G");
  if (text.front() == '-') return fail("a non-negative size");
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, number);
  if (ec == std::errc::result_out_of_range) return fail("a size below 2^64 bytes");
  if (ec != std::errc() || ptr == begin) return fail("a size such as 8, 64K, 128M or 1G");
  std::string_view suffix(ptr, static_cast<std::size_t>(end - ptr));
  if (suffix.find('b') != std::string_view::npos) {
    return fail("B or iB for bytes after the multiplier ('b' means bits)");
  }
  std::uint64_t multiplier = 1;
  if (!suffix.empty() && suffix != "B") {
    switch (std::toupper(static_cast<unsigned char>(suffix.front()))) {
      case 'K':
        multiplier = 1ULL << 10;
        break;
      case 'M':
        multiplier = 1ULL << 20;
        break;
      case 'G':
        multiplier = 1ULL << 30;
        break;
      case 'T':
        multiplier = 1ULL << 40;
        break;
      default:
        return fail("a multiplier K, M, G or T (powers of 1024)");
    }
    suffix.remove_prefix(1);
    if (!suffix.empty() && suffix != "B" && suffix != "iB") {
      return fail("a multiplier K, M, G or T, optionally followed by B or iB");
    }
  }
  if (number > std::numeric_limits<std::uint64_t>::max() / multiplier) {
    return fail("a size below 2^64 bytes");
  }
  return number * multiplier;
}

std::string formatSize(std::uint64_t bytes) {
  static constexpr const char* kSuffix[] = {"", "K", "M", "G", "T"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  char buffer[32];
  if (value == static_cast<double>(static_cast<std::uint64_t>(value))) {
    std::snprintf(buffer, sizeof buffer, "%llu%s", static_cast<unsigned long long>(value),
                  kSuffix[unit]);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f%s", value, kSuffix[unit]);
  }
  return buffer;
}

std::string formatted(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string secondsText(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

}  // namespace topoplan

namespace topoplan {

double significant(double value, int digits) {
  if (value == 0 || !std::isfinite(value)) return value;
  char text[40];
  std::snprintf(text, sizeof text, "%.*g", digits, value);
  return std::strtod(text, nullptr);
}

}  // namespace topoplan
