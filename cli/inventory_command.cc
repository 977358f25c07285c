#include "cli/inventory_command.h"

#include <cstdio>

#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/document.h"
#include "probes/inventory.h"
#include "probes/nccl_topology.h"
#include "report/documents/inventory_document.h"

namespace topoplan {

CLI::App* addInventoryCommand(CLI::App& app, InventoryOptions& o) {
  CLI::App* command =
      app.add_subcommand("inventory",
                         "This node's GPUs, NICs, NUMA nodes and PCIe locality (what lstopo shows, "
                         "reduced to what placement needs)");
  command->add_option("--hwloc-xml", o.hwlocXml, "read a saved hwloc XML instead of this machine");
  command->add_option("--nccl-topo", o.ncclTopo,
                      "read an NCCL topology file (NCCL_TOPO_FILE) instead of this machine");
  command->add_option("--json", o.json, "also write the inventory as JSON here");
  return command;
}

Result<int> runInventory(const InventoryOptions& o, const std::vector<std::string>& argv) {
  if (!o.json.empty()) TOPOPLAN_TRY(checkOutputPath(o.json, "--json"));
  if (!o.hwlocXml.empty() && !o.ncclTopo.empty()) {
    return Error("--hwloc-xml and --nccl-topo: expected at most one of them");
  }
  auto inventory = o.ncclTopo.empty() ? readInventory(o.hwlocXml) : readNcclTopology(o.ncclTopo);
  if (!inventory) return inventory.error();
  std::fputs(inventoryText(*inventory).c_str(), stdout);
  if (!o.json.empty()) {
    auto doc =
        makeDocumentHeader("inventory", 1, argv,
                           {inventory->hostname.empty() ? inventory->source : inventory->hostname});
    doc["inventory"] = inventoryJson(*inventory);
    TOPOPLAN_TRY(writeFileAtomic(o.json, doc.dump(2) + "\n"));
  }
  return 0;
}

}  // namespace topoplan
