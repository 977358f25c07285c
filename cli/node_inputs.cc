#include "cli/node_inputs.h"

#include <cstdio>
#include <map>

#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "placement/node/node_inventory.h"
#include "probes/inventory.h"
#include "probes/nccl_topology.h"
#include "report/documents/inventory_document.h"

namespace topoplan {

Result<InventoryRecord> readNodeInventoryFile(const std::string& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  const std::size_t first = text->find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (*text)[first] == '{') {
    auto json = parseJson(*text, path);
    if (!json) return json.error();
    if (json->contains("inventory"))
      return inventoryFromJson((*json)["inventory"], path + ".inventory");
    return inventoryFromJson(*json, path);
  }
  if (text->find("<system") != std::string::npos) return readNcclTopology(path);
  if (text->find("<topology") != std::string::npos) return readInventory(path);
  return Error(path +
               ": expected an hwloc XML (lstopo --of xml), an NCCL topology file (<system>) or "
               "the JSON of topoplan inventory --json");
}

Result<NodeInventories> nodeInventories(const LoadedCluster& cluster,
                                        const std::string& nodeInventoryPath) {
  NodeInventories nodes;
  for (const auto& [what, why] : cluster.hostViews.unreadable)
    std::fprintf(stderr, "# inside the hosts: %s left out: %s\n", what.c_str(), why.c_str());
  std::map<std::string, std::vector<GpuCopyRecord>> copiesOf;  // by host, in one pass
  for (const GpuCopyRecord& copy : cluster.hostViews.gpuCopies) copiesOf[copy.host].push_back(copy);
  for (const auto& [host, inventory] : cluster.hostViews.inventories) {
    if (inventory.gpus.empty()) continue;
    auto model =
        nodeModelOf(inventory, copiesOf[host], cluster.source + ": " + host + "'s inventory");
    if (!model) return model.error();
    nodes.byHost[host] = std::move(model->model);
    nodes.sourceOf[host] = "its inventory in " + cluster.source +
                           (model->measuredPairs > 0 ? " (" + std::to_string(model->measuredPairs) +
                                                           " GPU pairs measured)"
                                                     : "");
  }
  if (nodeInventoryPath.empty()) return nodes;
  auto inventory = readNodeInventoryFile(nodeInventoryPath);
  if (!inventory) return inventory.error().context("--node-inventory");
  auto model = nodeModelOf(*inventory, {}, nodeInventoryPath);
  if (!model) return model.error().context("--node-inventory");
  nodes.fallback = std::move(model->model);
  nodes.fallbackSource =
      nodeInventoryPath + (model->pcieAssumed ? " (PCIe links unknown: Gen3 x16 assumed)" : "");
  return nodes;
}

}  // namespace topoplan
