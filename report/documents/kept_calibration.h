// A calibration kept beside the cluster document it was made on (topoplan.calibration/v1, in
// CLUSTER.calibration.json): the verify candidates that `place --calibrate ... --keep-calibration`
// scaled the figures by, so that place, export and replay apply it whenever they load that
// cluster, until the cluster is probed again (the document's size or modification time differs
// from the ones the calibration names: it is then ignored, and said so).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "placement/calibration.h"

namespace topoplan {

struct KeptCalibration {
  std::string file;                 // where it was read
  std::string createdUtc;           // when it was kept
  std::vector<std::string> verify;  // the verify documents it came from
  std::vector<CalibrationSample> samples;
  bool stale = false;  // the cluster document changed since: not applied
};

std::string keptCalibrationPath(const std::string& clusterFile);

// Writes it beside `clusterFile`, naming that file's size and modification time.
Status keepCalibration(const std::string& clusterFile, const std::vector<std::string>& verify,
                       const std::vector<CalibrationSample>& samples);

// None when there is no such file; an error names the file and field.
Result<std::optional<KeptCalibration>> readKeptCalibration(const std::string& clusterFile);

}  // namespace topoplan
