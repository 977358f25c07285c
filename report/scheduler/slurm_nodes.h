// Slurm's view of its nodes, from what scontrol and sinfo print (scheduler_nodes.h lists the
// formats and the rules for which nodes accept work).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/scheduler/scheduler_nodes.h"

namespace topoplan {

using SlurmNodes = std::vector<SchedulerNode>;

// scontrol show node [-d] [--oneliner].
Result<SlurmNodes> parseScontrol(const std::string& text, const std::string& source);
// sinfo -N [-l] [-O ...]: columns found by their header.
Result<SlurmNodes> parseSinfo(const std::string& text, const std::string& source);
// scontrol show node --json.
Result<SlurmNodes> parseScontrolJson(const nlohmann::ordered_json& document,
                                     const std::string& source);

}  // namespace topoplan
