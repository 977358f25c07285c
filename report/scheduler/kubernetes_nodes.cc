#include "report/scheduler/kubernetes_nodes.h"

#include "core/json_fields.h"
#include "report/scheduler/node_fields.h"

namespace topoplan {

using namespace scheduler_text;

namespace {

constexpr const char* kGpuResource = "nvidia.com/gpu";

// A container's GPUs: its request, else its limit (Kubernetes defaults the one to the other).
Result<int> containerGpus(const Json& container, const std::string& where) {
  const Json* resources = member(container, "resources");
  if (!resources) return 0;
  for (const char* kind : {"requests", "limits"}) {
    const Json* values = member(*resources, kind);
    const Json* gpus = values ? member(*values, kGpuResource) : nullptr;
    if (!gpus) continue;
    const std::string at = where + ".resources." + kind + "." + kGpuResource;
    if (gpus->is_number_unsigned())
      return wholeNumber(std::to_string(gpus->get<std::uint64_t>()), at);
    if (gpus->is_string()) return wholeNumber(gpus->get<std::string>(), at);
    return Error(at + ": expected a whole number of GPUs");
  }
  return 0;
}

// What a pod holds on its node: the sum over its containers, or its largest init container.
Result<int> podGpus(const Json& pod, const std::string& where) {
  int sum = 0, init = 0;
  const Json* spec = member(pod, "spec");
  for (const char* kind : {"containers", "initContainers"}) {
    const Json* list = spec ? member(*spec, kind) : nullptr;
    if (!list) continue;
    if (!list->is_array()) return Error(where + ".spec." + kind + ": expected an array");
    for (std::size_t c = 0; c < list->size(); ++c) {
      auto gpus =
          containerGpus((*list)[c], where + ".spec." + kind + "[" + std::to_string(c) + "]");
      if (!gpus) return gpus.error();
      if (std::string(kind) == "containers")
        sum += *gpus;
      else
        init = std::max(init, *gpus);
    }
  }
  return std::max(sum, init);
}

Status readKubernetesNode(const Json& item, const std::string& where, SchedulerNode& node) {
  const Json* metadata = member(item, "metadata");
  if (!metadata) return Error(where + ".metadata: missing, expected the node's metadata");
  TOPOPLAN_TRY(readField(*metadata, where + ".metadata", "name", node.name));
  const Json* spec = member(item, "spec");
  const Json* status = member(item, "status");
  std::vector<std::string> state;
  bool ready = false;
  if (const Json* conditions = status ? member(*status, "conditions") : nullptr) {
    for (const Json& c : *conditions)
      if (stringOr(c, "type") == "Ready") ready = stringOr(c, "status") == "True";
  }
  state.push_back(ready ? "Ready" : "NotReady");
  const Json* unschedulable = spec ? member(*spec, "unschedulable") : nullptr;
  const bool cordoned = unschedulable && unschedulable->is_boolean() && unschedulable->get<bool>();
  if (cordoned) state.push_back("cordoned");
  bool blocked = false;
  if (const Json* taints = spec ? member(*spec, "taints") : nullptr) {
    for (const Json& taint : *taints) {
      const std::string key = stringOr(taint, "key"), effect = stringOr(taint, "effect");
      if (effect != "NoSchedule" && effect != "NoExecute") continue;
      if (key.rfind("node.kubernetes.io/", 0) == 0) {
        blocked = true;
        if (std::find(state.begin(), state.end(), key.substr(19)) == state.end())
          state.push_back(key.substr(19));
      } else {
        node.notes.push_back("taint " + key + ":" + effect);
      }
    }
  }
  node.acceptsWork = ready && !cordoned && !blocked;
  for (const std::string& s : state) node.state += (node.state.empty() ? "" : ",") + s;
  node.gpus = 0;
  const Json* allocatable = status ? member(*status, "allocatable") : nullptr;
  if (const Json* gpus = allocatable ? member(*allocatable, kGpuResource) : nullptr) {
    const std::string at = where + ".status.allocatable." + kGpuResource;
    if (!gpus->is_string()) return Error(at + ": expected a quantity such as \"8\"");
    auto count = wholeNumber(gpus->get<std::string>(), at);
    if (!count) return count.error();
    node.gpus = *count;
  }
  return okStatus();
}

constexpr const char* kGpuDriver = "gpu.nvidia.com";

// ResourceSlice (resource.k8s.io/v1): spec.driver, spec.pool.name, spec.nodeName, spec.devices[]
// with name and attributes (the standard resource.kubernetes.io/pciBusID among them).
Status readResourceSlice(const Json& item, const std::string& where, KubernetesState& state) {
  const Json* spec = member(item, "spec");
  if (!spec) return Error(where + ".spec: missing, expected the slice's spec");
  const std::string driver = stringOr(*spec, "driver");
  const Json* pool = member(*spec, "pool");
  const std::string poolName = pool ? stringOr(*pool, "name") : "";
  if (driver.empty() || poolName.empty())
    return Error(where + ".spec: expected driver and pool.name");
  const std::string node = stringOr(*spec, "nodeName");
  const Json* devices = member(*spec, "devices");
  if (!devices) return okStatus();
  if (!devices->is_array()) return Error(where + ".spec.devices: expected an array");
  for (std::size_t d = 0; d < devices->size(); ++d) {
    const Json& device = (*devices)[d];
    const std::string name = stringOr(device, "name");
    if (name.empty())
      return Error(where + ".spec.devices[" + std::to_string(d) + "].name: expected a name");
    DraDevice record{node, "", driver == kGpuDriver};
    if (const Json* attributes = member(device, "attributes")) {
      if (const Json* bus = member(*attributes, "resource.kubernetes.io/pciBusID"))
        record.pciBusId = stringOr(*bus, "string");
    }
    state.devices[driver + "/" + poolName + "/" + name] = record;
  }
  return okStatus();
}

// ResourceClaim: status.allocation.devices.results[] {driver, pool, device}.
void readResourceClaim(const Json& item, KubernetesState& state) {
  const Json* status = member(item, "status");
  const Json* allocation = status ? member(*status, "allocation") : nullptr;
  const Json* devices = allocation ? member(*allocation, "devices") : nullptr;
  const Json* results = devices ? member(*devices, "results") : nullptr;
  if (!results || !results->is_array()) return;
  for (const Json& r : *results)
    state.allocated.push_back(stringOr(r, "driver") + "/" + stringOr(r, "pool") + "/" +
                              stringOr(r, "device"));
}

}  // namespace

Status readKubernetesItems(const Json& document, const std::string& source,
                           KubernetesState& state) {
  auto items = arrayField(document, source, "items");
  if (!items) return items.error();
  const std::string listKind = stringOr(document, "kind");
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const Json& item = (**items)[i];
    const std::string where = source + ".items[" + std::to_string(i) + "]";
    std::string kind = stringOr(item, "kind");
    if (kind.empty() && listKind.size() > 4 && listKind.substr(listKind.size() - 4) == "List")
      kind = listKind.substr(0, listKind.size() - 4);
    if (kind == "Node") {
      SchedulerNode node;
      TOPOPLAN_TRY(readKubernetesNode(item, where, node));
      const std::string name = node.name;
      if (!state.nodes.emplace(name, std::move(node)).second)
        return Error(where + ": node '" + name + "' listed twice");
    } else if (kind == "Pod") {
      const Json* spec = member(item, "spec");
      const Json* status = member(item, "status");
      const std::string nodeName = spec ? stringOr(*spec, "nodeName") : "";
      const std::string phase = status ? stringOr(*status, "phase") : "";
      if (nodeName.empty() || phase == "Succeeded" || phase == "Failed") continue;
      auto gpus = podGpus(item, where);
      if (!gpus) return gpus.error();
      state.used[nodeName] += *gpus;
    } else if (kind == "ResourceSlice") {
      TOPOPLAN_TRY(readResourceSlice(item, where, state));
    } else if (kind == "ResourceClaim") {
      readResourceClaim(item, state);
    } else {
      return Error(where + ".kind: '" + kind +
                   "', expected Node, Pod, ResourceSlice or ResourceClaim");
    }
  }
  return okStatus();
}

std::vector<SchedulerNode> kubernetesNodes(KubernetesState& state) {
  std::map<std::string, int> draGpus, draUsed;
  std::map<std::string, std::vector<std::string>> busy;
  for (const auto& [key, device] : state.devices)
    if (device.gpu && !device.node.empty()) ++draGpus[device.node];
  for (const std::string& key : state.allocated) {
    const auto device = state.devices.find(key);
    if (device == state.devices.end() || !device->second.gpu) continue;
    ++draUsed[device->second.node];
    if (!device->second.pciBusId.empty())
      busy[device->second.node].push_back(device->second.pciBusId);
  }
  std::vector<SchedulerNode> nodes;
  for (auto& [name, node] : state.nodes) {
    node.gpusUsed = state.used.count(name) ? state.used[name] : 0;
    if (node.gpus == 0 && draGpus.count(name)) node.gpus = draGpus[name];
    node.gpusUsed += draUsed.count(name) ? draUsed[name] : 0;
    // Named only when every used GPU is a DRA device with a bus id (pods' nvidia.com/gpu are not).
    if (draGpus.count(name) && node.gpusUsed == static_cast<int>(busy[name].size()))
      node.busyGpuBusIds = busy[name];
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace topoplan
