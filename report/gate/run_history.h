// Histories of runs: what `compare` reads as a sequence of runs and what `compare --record`
// appends to.
//
// A history file is JSON Lines: one topoplan.run/v1 object per run, in the order recorded:
//   {"schema": "topoplan.run/v1", "source": "new.json", "recorded_utc": "...", "kind":
//    "allreduce", "metrics": [{"key": ..., "unit": ..., "value": ..., "noise": ...,
//    "samples": 20, "sample_values": [...]}, ...]}
// so a history keeps each run's figure and its samples (6 significant digits), not the whole
// document.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "report/gate/metrics.h"

namespace topoplan {

// The runs in `path`: one for a result document (metrics.h), one per line for a history file
// (an empty file named *.jsonl is an empty history), and for a directory those of its files (not
// hidden ones) in name order. Errors name the file and line.
Result<std::vector<MetricSet>> readRuns(const std::string& path);

// A history's text (`source` names it in errors).
Result<std::vector<MetricSet>> parseHistory(const std::string& text, const std::string& source);

// One history line (with its '\n') for `run`.
std::string historyLine(const MetricSet& run, const std::string& recordedUtc);

// Appends `run` to the history file `path` (created if absent), atomically.
Status appendHistory(const std::string& path, const MetricSet& run);

}  // namespace topoplan
