// Validators for numeric options, shared by every command: CLI11's Range lets NaN through (every
// comparison with NaN is false) and converts "inf" and "1e999" to infinities, so a range alone
// cannot keep them out.
#pragma once

#include <CLI/CLI.hpp>

namespace topoplan {

// A finite number within [low, high]: refuses nan, inf, 1e999 (beyond a double's range) and
// anything that is not a whole number in decimal or scientific notation.
CLI::Validator finiteIn(double low, double high);

}  // namespace topoplan
