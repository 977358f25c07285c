// What a cluster document says of its hosts besides the links: inventories and GPU copies.
#include "core/json_fields.h"
#include "report/documents/cluster_document.h"
#include "report/documents/inventory_document.h"

namespace topoplan {

nlohmann::ordered_json gpuCopyJson(const GpuCopyRecord& copy) {
  auto device = [](int index) {
    return index < 0 ? nlohmann::ordered_json("host") : nlohmann::ordered_json(index);
  };
  nlohmann::ordered_json item = nlohmann::ordered_json::object();
  if (!copy.host.empty()) item["host"] = copy.host;
  item.update(nlohmann::ordered_json{{"kind", copy.kind},
                                     {"src", device(copy.src)},
                                     {"dst", device(copy.dst)},
                                     {"bytes", copy.bytes},
                                     {"path", copy.path},
                                     {"bw_gbps", sampleStatsJson(copy.bwGbps)},
                                     {"samples", copy.bwGbps.samples}});
  if (copy.expectedPeakGbps > 0) {
    item["expected_peak_gbps"] = copy.expectedPeakGbps;
    item["peak_percent"] = copy.peakPercent();
    item["peak_basis"] = copy.peakBasis;
  } else {
    item["expected_peak_gbps"] = nullptr;
  }
  return item;
}

Result<GpuCopyRecord> gpuCopyFromJson(const nlohmann::ordered_json& json,
                                      const std::string& where) {
  if (!json.is_object()) return Error(where + ": expected an object");
  GpuCopyRecord copy;
  if (json.contains("host")) TOPOPLAN_TRY(readField(json, where, "host", copy.host));
  TOPOPLAN_TRY(readField(json, where, "kind", copy.kind));
  for (auto [key, device] : {std::pair{"src", &copy.src}, std::pair{"dst", &copy.dst}}) {
    const auto it = json.find(key);
    if (it != json.end() && *it == "host") continue;  // host memory: -1
    if (it == json.end() || !it->is_number_integer() || it->get<long long>() < 0 ||
        it->get<long long>() > 1 << 20)
      return Error(where + "." + key + ": expected \"host\" or a CUDA device index");
    *device = it->get<int>();
  }
  TOPOPLAN_TRY(readField(json, where, "bytes", copy.bytes));
  TOPOPLAN_TRY(readField(json, where, "path", copy.path));
  TOPOPLAN_TRY(readSampleStats(json, where, "bw_gbps", copy.bwGbps, true));
  TOPOPLAN_TRY(readField(json, where, "samples", copy.bwGbps.samples));
  if (json.contains("expected_peak_gbps") && !json["expected_peak_gbps"].is_null()) {
    TOPOPLAN_TRY(readField(json, where, "expected_peak_gbps", copy.expectedPeakGbps));
    if (!(copy.expectedPeakGbps >= 0))
      return Error(where + ".expected_peak_gbps: expected a number >= 0");
    if (json.contains("peak_basis"))
      TOPOPLAN_TRY(readField(json, where, "peak_basis", copy.peakBasis));
  }
  return copy;
}

Result<ClusterHostViews> readHostViews(const nlohmann::ordered_json& document,
                                       const std::string& source, bool lenient) {
  ClusterHostViews views;
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    const auto& host = (**hosts)[i];
    const std::string where = source + ".hosts[" + std::to_string(i) + "]";
    std::string name;
    TOPOPLAN_TRY(readField(host, where, "name", name));
    if (!host.contains("inventory")) continue;
    const auto& inventory = host["inventory"];
    if (inventory.is_object() && (inventory.empty() || inventory.contains("error"))) continue;
    auto record = inventoryFromJson(inventory, where + ".inventory");
    if (!record && lenient) {
      views.unreadable[name] = record.error().message();
      continue;
    }
    if (!record) return record.error();
    views.inventories.emplace_back(name, std::move(*record));
  }
  if (!document.contains("gpu_copies")) return views;
  auto copies = arrayField(document, source, "gpu_copies");
  if (!copies) return copies.error();
  for (std::size_t i = 0; i < (*copies)->size(); ++i) {
    auto copy = gpuCopyFromJson((**copies)[i], source + ".gpu_copies[" + std::to_string(i) + "]");
    if (!copy && lenient) {
      views.unreadable["gpu_copies"] = copy.error().message();
      views.gpuCopies.clear();
      break;
    }
    if (!copy) return copy.error();
    views.gpuCopies.push_back(std::move(*copy));
  }
  return views;
}

}  // namespace topoplan
