#include "report/cluster_document.h"

#include "core/json_fields.h"

namespace topoplan {

Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source) {
  std::string schema;
  TOPOPLAN_TRY(readField(document, source, "schema", schema));
  if (schema != "topoplan.cluster/v1") {
    return Error(source + ".schema: '" + schema + "', expected 'topoplan.cluster/v1'");
  }
  ClusterMeasurements measurements;
  auto hosts = arrayField(document, source, "hosts");
  if (!hosts) return hosts.error();
  for (std::size_t i = 0; i < (*hosts)->size(); ++i) {
    std::string name;
    TOPOPLAN_TRY(
        readField((**hosts)[i], source + ".hosts[" + std::to_string(i) + "]", "name", name));
    measurements.hosts.push_back(name);
  }
  auto links = arrayField(document, source, "links");
  if (!links) return links.error();
  for (std::size_t i = 0; i < (*links)->size(); ++i) {
    const auto& link = (**links)[i];
    const std::string where = source + ".links[" + std::to_string(i) + "]";
    PairMeasurement pair;
    TOPOPLAN_TRY(readField(link, where, "host_a", pair.a));
    TOPOPLAN_TRY(readField(link, where, "host_b", pair.b));
    auto bw = objectField(link, where, "bw_gbps");
    if (!bw) return bw.error();
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "median", pair.gbps));
    if (link.contains("lat_us")) {
      auto lat = objectField(link, where, "lat_us");
      if (!lat) return lat.error();
      TOPOPLAN_TRY(readField(**lat, where + ".lat_us", "median", pair.latencyUs));
    }
    if (link.contains("sweep")) {
      auto sweep = arrayField(link, where, "sweep");
      if (!sweep) return sweep.error();
      for (std::size_t k = 0; k < (*sweep)->size(); ++k) {
        const std::string at = where + ".sweep[" + std::to_string(k) + "]";
        SweepPoint point;
        TOPOPLAN_TRY(readField((**sweep)[k], at, "bytes", point.bytes));
        TOPOPLAN_TRY(readField((**sweep)[k], at, "time_us", point.timeUs));
        pair.sweep.push_back(point);
      }
    }
    auto fitted = withSweepFit(std::move(pair), where);
    if (!fitted) return fitted.error();
    if (fitted->a != fitted->b) measurements.pairs.push_back(std::move(*fitted));
  }
  return measurements;
}

}  // namespace topoplan
