// Units: byte counts, durations and bandwidths. GB = 1e9 bytes, GB/s = 1e9 bytes per second.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace topoplan {

inline constexpr double kBytesPerGB = 1e9;
inline constexpr double kMicrosPerSecond = 1e6;

// Seconds for messages: "5 s", "0.25 s".
std::string secondsText(double seconds);

// Bandwidth in GB/s (1e9 bytes per second) of `bytes` moved in `seconds`; 0 when seconds <= 0.
double gbps(std::uint64_t bytes, double seconds);

// Parses a byte count the way nccl-tests does: a non-negative integer with an optional
// multiplier K, M, G or T (binary: 1024 ... 1024^4; upper or lower case), optionally followed by
// "B" or "iB" ("64M", "64k", "64MiB", "512", "512B", "1G"). A lowercase "b" is refused: it
// means bits ("64Mb"), never bytes. `what` names the option or field in the error message.
Result<std::uint64_t> parseSize(std::string_view text, std::string_view what);

// `value` rounded to `digits` significant digits: what documents write for measured figures
// (no measurement has 17 meaningful digits, and the shortest text that reads back the same is
// then short).
double significant(double value, int digits = 6);

// `value` printed with a printf format for one double, e.g. formatted("%.1f%%", 12.34) ==
// "12.3%".
std::string formatted(const char* format, double value);

// A short human form of a byte count: "512", "64K", "1M", "1.5M".
std::string formatSize(std::uint64_t bytes);

}  // namespace topoplan
