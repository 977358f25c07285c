#include "placement/node/gang_gpus.h"

#include <algorithm>

namespace topoplan {

Result<GpuChoice> GpuChoiceMemo::choose(const NodeModel& model, const std::vector<bool>& busy,
                                        int count) {
  auto key = std::make_tuple(&model, busy, count);
  const auto made = made_.find(key);
  if (made != made_.end()) return made->second;
  return made_.emplace(std::move(key), chooseGpus(model, busy, count)).first->second;
}

HostGpus chooseHostGpus(const std::string& host, const NodeInventories& nodes, int freeGpus,
                        int totalGpus, int gpusPerHost, GpuChoiceMemo& memo) {
  HostGpus out;
  out.host = host;
  const auto own = nodes.byHost.find(host);
  const NodeModel* model = nullptr;
  if (own != nodes.byHost.end()) {
    model = &own->second;
    const auto source = nodes.sourceOf.find(host);
    out.source = source != nodes.sourceOf.end() ? source->second : "its inventory";
  } else if (nodes.fallback) {
    model = &*nodes.fallback;
    out.source = nodes.fallbackSource;
  } else {
    out.note =
        "no inventory of this host: give --node-inventory (hwloc XML, NCCL topology or "
        "inventory JSON)";
    return out;
  }
  const int size = static_cast<int>(model->size());
  const int count = gpusPerHost > 0 ? gpusPerHost : size;
  out.hostGpus = size;
  std::vector<bool> busy(model->size(), false);
  const auto named = nodes.busyGpus.find(host);
  if (named != nodes.busyGpus.end()) {
    for (int index : named->second) {
      if (index < 0 || index >= size) {
        out.note = "busy GPU " + std::to_string(index) + " is not a GPU of " + out.source +
                   " (0 to " + std::to_string(size - 1) + ")";
        return out;
      }
      busy[static_cast<std::size_t>(index)] = true;
    }
  } else if (const auto buses = nodes.busyBusIds.find(host); buses != nodes.busyBusIds.end()) {
    for (const std::string& bus : buses->second) {
      const auto at = std::find_if(model->gpus.begin(), model->gpus.end(), [&](const NodeGpu& g) {
        return busIdKey(g.pciBusId) == busIdKey(bus);
      });
      if (at == model->gpus.end()) {
        out.note = "busy GPU " + bus + " is not a GPU of " + out.source;
        return out;
      }
      busy[static_cast<std::size_t>(at - model->gpus.begin())] = true;
    }
  } else if (freeGpus < totalGpus) {
    out.note = std::to_string(totalGpus - freeGpus) + " of " + std::to_string(totalGpus) +
               " GPUs are busy and the free state does not say which (scontrol show node -d "
               "names them; or busy_gpus in --free): any free " +
               std::to_string(count) + " may be handed out";
    return out;
  }
  auto choice = memo.choose(*model, busy, count);
  if (!choice) {
    out.note = choice.error().message();
    if (size != totalGpus)
      out.note += " (the cluster counts " + std::to_string(totalGpus) + " GPUs on the host, " +
                  out.source + " " + std::to_string(size) + ")";
    return out;
  }
  for (int position : choice->gpus)
    out.gpus.push_back(model->gpus[static_cast<std::size_t>(position)]);
  if (model->nics.empty()) {
    out.note = "the inventory lists no NIC: there is none to align";
  } else if (!choice->misaligned.empty()) {
    out.note = "its free GPUs cannot all be aligned with a NIC: ";
    for (std::size_t i = 0; i < choice->misaligned.size(); ++i)
      out.note += (i ? "; " : "") + choice->misaligned[i];
  }
  out.choice = std::move(*choice);
  return out;
}

}  // namespace topoplan
