// The node inventory as JSON (inside topoplan.cluster/v1 hosts[].inventory, and the output of
// `topoplan inventory --json`), and as text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/inventory_record.h"

namespace topoplan {

nlohmann::ordered_json inventoryJson(const InventoryRecord& inventory);
std::string inventoryText(const InventoryRecord& inventory);

}  // namespace topoplan
