// `topoplan ab --a CMD --b CMD [--runs K] [--out DIR]`: runs two commands alternately, A B B A
// A B ..., K times each, and compares their run-level figures paired by position
// (run_level_compare.h), so that drift over the job hits both sides alike.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/compare_command.h"
#include "core/result.h"

namespace topoplan {

struct AbOptions {
  std::string a, b;  // shell commands; {out} is the document each run writes
  int runs = 8;      // per side
  std::string out = "ab-runs";
  GateOptions gate;
};

CLI::App* addAbCommand(CLI::App& app, AbOptions& options);

// 0: no regression of B against A, 1: a regression; bad input is an error (2); a run that fails
// prints why and returns 3.
Result<int> runAb(const AbOptions& options, const std::vector<std::string>& argv);

}  // namespace topoplan
