// The topoplan.plan/v1 document and the plan's text rendering.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "placement/planner.h"

namespace topoplan {

// The GPUs, NICs and cores a placement has on one host (plan gang.placement[]). A host without
// a choice has no GPUs.
struct PlannedHostGpus {
  std::string host;
  int hostGpus = 0;       // every GPU of the host (0: not said)
  std::vector<int> gpus;  // NVML indices
  std::vector<std::string> pciBusIds;
  std::vector<std::string> nics;  // per GPU, its nearest ("" where none)
  std::string cpuset;             // "" when unknown
};

// One placement of a plan document, as the plan's readers need it.
struct PlannedPlacement {
  std::string name;  // "gang", "alternative-K", or the baseline's ("random", "best-fit" ...)
  std::vector<std::string> hosts;
  std::string domain;  // the smallest domain holding it ("(whole cluster)")
  double predictedTimeUs = 0, predictedBusbwGbps = 0;
  std::vector<PlannedHostGpus> placement;  // inside the hosts, where place chose
};

// A topoplan.plan/v1 document, validated: every field its readers use, with its type.
struct PlanRecord {
  std::string cluster;  // the cluster the plan was made on
  int hosts = 0, gpusPerHost = 0;
  std::string pattern;
  std::uint64_t bytes = 0;
  std::optional<PlannedPlacement> gang;
  std::string whyNone;  // when there is no gang
  std::vector<PlannedPlacement> alternatives, baselines;
  std::vector<std::string> calibrated;  // figures corrected from verify documents, in words
};

// Errors name the source and field (exit 2).
Result<PlanRecord> readPlanRecord(const nlohmann::ordered_json& document,
                                  const std::string& source);
Result<PlanRecord> readPlanFile(const std::string& path);

// The gang of a plan document, as hosts of `topology`, for the scheduler exports.
struct PlannedGang {
  std::vector<int> hosts;
  int gpusPerHost = 0;                     // 0: whole hosts
  std::vector<PlannedHostGpus> placement;  // inside the hosts, where place chose
};

// Reads a topoplan.plan/v1 file; errors name the file and field (a plan without a gang, a host
// the cluster does not have).
Result<PlannedGang> readPlannedGang(const std::string& path, const Topology& topology);

nlohmann::ordered_json planDocument(const PlanInput& input, const PlanResult& result,
                                    const std::string& cluster,
                                    const std::vector<std::string>& argv);

std::string planText(const PlanInput& input, const PlanResult& result, const std::string& cluster);

}  // namespace topoplan
