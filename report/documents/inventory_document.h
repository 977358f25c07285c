// The node inventory as JSON (inside topoplan.cluster/v1 hosts[].inventory, and the output of
// `topoplan inventory --json`), and as text.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/inventory_record.h"
#include "core/result.h"

namespace topoplan {

nlohmann::ordered_json inventoryJson(const InventoryRecord& inventory);
// The record back from inventoryJson's form, every field checked; errors name `where` and the
// field.
Result<InventoryRecord> inventoryFromJson(const nlohmann::ordered_json& json,
                                          const std::string& where);
std::string inventoryText(const InventoryRecord& inventory);

}  // namespace topoplan
