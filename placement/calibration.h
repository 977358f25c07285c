// Calibration of the cost model from measurements of its predictions (verify documents).
//
// Each measured candidate gives a ratio: its measured busbw over its predicted busbw. Candidates
// are grouped by what limits their prediction under the model (a host's link, or an uplink of
// some level). Per group, the median ratio scales those figures: every host link, or every
// uplink of that level's domains. So a level whose predictions ran fast or slow on this
// cluster is corrected for every later plan; the figures say "calibrated".
#pragma once

#include <string>
#include <vector>

#include "placement/cost_model.h"
#include "placement/topology.h"

namespace topoplan {

struct CalibrationSample {
  std::string name;  // for the description
  std::vector<std::string> hosts;
  double predictedBusbwGbps = 0, measuredBusbwGbps = 0;
};

// Scales `cost`'s figures; returns what was calibrated, in words, one line per figure group.
// Samples with hosts the topology lacks, or without both figures, are left out.
std::vector<std::string> calibrate(const Topology& topology, CostModel& cost,
                                   const std::vector<CalibrationSample>& samples);

}  // namespace topoplan
