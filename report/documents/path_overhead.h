// The overhead of one network path against another over the same host pairs: what a pod
// overlay network (the tcp probe on a VXLAN interface) costs against the node network (tcp on
// the node's interface, or mpi), per class of pairs.
//
// Paths are told apart by probe and interface, in the order they first appear. Each path after
// the first is compared with the latest earlier path of the same probe (same software, another
// interface), else with the first path. For every host pair that both measured: bandwidth lost
// = (1 - path / reference) x 100 %, latency added = path - reference (us; each latency the fit's
// alpha where known). Per class (the fabric levels the pair's hosts share): the number of pairs
// and the median, p10 and p90 of both.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/stats.h"
#include "placement/inference.h"

namespace topoplan {

struct PathOverhead {
  std::string path;       // "tcp over vx0"
  std::string reference;  // "tcp over eth0"
  int sharedLevels = 0;
  SampleStats bwLossPercent;
  SampleStats latencyAddedUs;
};

using SharedLevels = std::function<int(const std::string& hostA, const std::string& hostB)>;

std::vector<PathOverhead> pathOverheads(const std::vector<PairMeasurement>& pairs,
                                        const SharedLevels& sharedLevels);

nlohmann::ordered_json pathOverheadJson(const std::vector<PathOverhead>& overheads);
std::string pathOverheadText(const std::vector<PathOverhead>& overheads);

// "mpi", "tcp over eth0".
std::string pathName(const std::string& probe, const std::string& iface);

}  // namespace topoplan
