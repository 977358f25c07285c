#include "report/scheduler/dra_export.h"

#include <cctype>

#include "report/scheduler/export_names.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {

Result<std::string> draClaims(const PlannedGang& plan, const K8sOptions& options) {
  if (plan.placement.empty())
    return Error(
        "dra-claims: the plan chose no GPUs inside its hosts: make it with place "
        "--node-inventory (or on a probe document with inventories)");
  std::vector<YamlObject> claims;
  for (const PlannedHostGpus& host : plan.placement) {
    if (host.gpus.empty()) return Error("dra-claims: the plan chose no GPUs on " + host.host);
    const std::string name = options.name + "-" + host.host;
    TOPOPLAN_TRY(checkDnsName(name, "claim name (--name and host)", 253, true));
    std::string buses;
    for (std::string bus : host.pciBusIds) {
      for (char& c : bus) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      buses += (buses.empty() ? "\"" : ", \"") + bus + "\"";
    }
    const std::string expression =
        "\"pciBusID\" in device.attributes[\"resource.kubernetes.io\"] && "
        "device.attributes[\"resource.kubernetes.io\"].pciBusID in [" +
        buses + "]";
    YamlObject request = {
        {"name", "gpus"},
        {"exactly",
         {{"deviceClassName", kNvidiaGpuDeviceClass},
          {"allocationMode", "ExactCount"},
          {"count", static_cast<int>(host.gpus.size())},
          {"selectors", YamlObject::array({{{"cel", {{"expression", expression}}}}})}}}};
    claims.push_back(
        {{"apiVersion", "resource.k8s.io/v1"},
         {"kind", "ResourceClaim"},
         {"metadata", {{"name", name}, {"labels", {{"topoplan.dev/host", host.host}}}}},
         {"spec", {{"devices", {{"requests", YamlObject::array({request})}}}}}});
  }
  return yamlDocuments(
      claims, options.comment +
                  "\nOne ResourceClaim per host of the gang: the planned GPUs by PCI bus id "
                  "(resource.kubernetes.io/pciBusID, Kubernetes 1.34+ with the NVIDIA DRA "
                  "driver).\nThe pod on host H lists the claim NAME-H in spec.resourceClaims "
                  "and its container in resources.claims; pin the pod to H (nodeAffinity on "
                  "kubernetes.io/hostname).\nNICs and cores: the kubelet's Topology Manager "
                  "(--topology-manager-policy=single-numa-node, scope pod) aligns them per "
                  "NUMA node; a NIC DRA driver can be matched with a constraint on "
                  "resource.kubernetes.io/pcieRoot.");
}

}  // namespace topoplan
