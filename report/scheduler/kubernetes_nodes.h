// Kubernetes' view of its nodes, from kubectl get nodes,pods -o json (scheduler_nodes.h lists
// the rules for which nodes accept work and what a pod holds).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/scheduler/scheduler_nodes.h"

namespace topoplan {

// Adds the Node items of `document` to `nodes` and the GPUs its running pods hold to `used`
// (by node name); either file of two may hold either kind.
Status readKubernetesItems(const nlohmann::ordered_json& document, const std::string& source,
                           std::map<std::string, SchedulerNode>& nodes,
                           std::map<std::string, int>& used);

}  // namespace topoplan
