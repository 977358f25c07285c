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
    if (pair.a != pair.b) measurements.pairs.push_back(std::move(pair));
  }
  return measurements;
}

}  // namespace topoplan
