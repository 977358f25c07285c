// The Volcano release an export is for (--volcano-version): HyperNodes, Job.networkTopology and
// the label discovery of HyperNodes exist from 1.12; HyperNode spec.tierName from 1.14.
#pragma once

#include <string>

#include "core/result.h"

namespace topoplan {

struct VolcanoVersion {
  int major = 1;
  int minor = 14;
  bool hasTierName() const { return major > 1 || minor >= 14; }
};

// "1.14", "1.14.2" or "v1.14"; a release before 1.12 is refused with the reason.
Result<VolcanoVersion> parseVolcanoVersion(const std::string& text);

}  // namespace topoplan
