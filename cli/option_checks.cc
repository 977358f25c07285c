#include "cli/option_checks.h"

#include <charconv>
#include <cmath>
#include <string>

namespace topoplan {

CLI::Validator finiteIn(double low, double high) {
  const std::string range = "[" + std::to_string(low) + " - " + std::to_string(high) + "]";
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (ec == std::errc::result_out_of_range) {
          return "'" + text + "' is beyond a double's range: expected a finite number";
        }
        if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
          return "'" + text + "': expected a finite number";
        }
        if (value < low || value > high) {
          char bounds[96];
          std::snprintf(bounds, sizeof bounds, "expected a number from %g to %g", low, high);
          return "'" + text + "': " + bounds;
        }
        return {};
      },
      "FINITE in " + range);
}

}  // namespace topoplan
