// Inventories as readers and documents may hand them over (pairs naming GPUs that are not there,
// unknown paths, NICs named by bus id or device, missing NUMA nodes, copies with any indices),
// and busy states of any kind, through nodeModelOf and chooseHostGpus: never a crash; a model
// whose matrices fit its GPUs, symmetric, every pair above 0; a choice of free GPUs only, or a
// note saying why there is none.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <set>

#include "placement/node/gang_gpus.h"
#include "placement/node/node_inventory.h"

namespace topoplan {
namespace {

std::string busOf(int i) {
  char text[24];
  std::snprintf(text, sizeof text, "0000:%02x:00.0", i);
  return text;
}

InventoryRecord genInventory() {
  InventoryRecord inventory;
  const int gpus = *rc::gen::inRange(1, 10);
  const int numas = *rc::gen::inRange(0, 4);
  std::set<int> used;
  for (int g = 0; g < gpus; ++g) {
    int bus = *rc::gen::inRange(0, 256);
    while (used.count(bus)) bus = (bus + 1) % 256;
    used.insert(bus);
    PciDeviceRecord gpu;
    gpu.kind = "gpu";
    gpu.pciBusId = busOf(bus);
    gpu.numaNode = *rc::gen::inRange(-1, numas + 1);
    gpu.pciLinkGBps = *rc::gen::element(0.0, 16.0, 32.0);
    inventory.gpus.push_back(gpu);
  }
  const int nics = *rc::gen::inRange(0, 4);
  for (int n = 0; n < nics; ++n) {
    PciDeviceRecord nic;
    nic.kind = "nic";
    nic.pciBusId = busOf(256 + n);
    nic.numaNode = *rc::gen::inRange(-1, numas + 1);
    if (*rc::gen::arbitrary<bool>()) nic.osDevices = {"mlx5_" + std::to_string(n)};
    inventory.nics.push_back(nic);
  }
  for (PciDeviceRecord& gpu : inventory.gpus) {
    if (nics == 0 || !*rc::gen::arbitrary<bool>()) continue;
    const PciDeviceRecord& nic =
        inventory.nics[static_cast<std::size_t>(*rc::gen::inRange(0, nics))];
    gpu.nearestNic = nic.osDevices.empty() ? nic.pciBusId : nic.osDevices.front();
    gpu.nicPath = *rc::gen::element<std::string>("pcie-switch", "numa", "system", "bogus");
  }
  const int pairs = *rc::gen::inRange(0, 40);
  for (int p = 0; p < pairs; ++p) {
    const auto& a = inventory.gpus[static_cast<std::size_t>(*rc::gen::inRange(0, gpus))];
    const std::string b =
        *rc::gen::arbitrary<bool>()
            ? inventory.gpus[static_cast<std::size_t>(*rc::gen::inRange(0, gpus))].pciBusId
            : busOf(300);
    inventory.gpuPairs.push_back(
        {a.pciBusId, b,
         *rc::gen::element<std::string>("nvlink", "nvswitch", "pcie-switch", "host-bridge", "numa",
                                        "system", "?"),
         *rc::gen::element(0.0, 25.0, 150.0)});
  }
  for (int n = 0; n < numas; ++n) {
    inventory.numaCpusets.push_back(*rc::gen::element<std::string>("", "0-3", "4-7,12-15", "x"));
    inventory.numaPackages.push_back(*rc::gen::inRange(-1, 2));
  }
  return inventory;
}

RC_GTEST_PROP(NodeInventoryProperty, AnyInventoryGivesAModelAndAnyStateAChoiceOrANote, ()) {
  const InventoryRecord inventory = genInventory();
  std::vector<GpuCopyRecord> copies;
  const int count = *rc::gen::inRange(0, 6);
  for (int c = 0; c < count; ++c) {
    GpuCopyRecord copy(*rc::gen::element<std::string>("peer", "h2d", "d2d"),
                       *rc::gen::inRange(-2, 12), *rc::gen::inRange(-2, 12));
    copy.bwGbps.median = *rc::gen::element(0.0, 5.0, 100.0);
    copies.push_back(copy);
  }
  auto model = nodeModelOf(inventory, copies, "generated");
  RC_ASSERT(model.ok());
  const NodeModel& m = model->model;
  const std::size_t n = m.size();
  RC_ASSERT(n == inventory.gpus.size());
  RC_ASSERT(m.gbps.size() == n * n && m.paths.size() == n * n);
  for (std::size_t a = 0; a < n; ++a) {
    RC_ASSERT(m.gpus[a].index == static_cast<int>(a));
    if (a > 0) RC_ASSERT(m.gpus[a - 1].pciBusId < m.gpus[a].pciBusId);
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      RC_ASSERT(m.pairGbps(a, b) > 0);
      RC_ASSERT(m.pairGbps(a, b) == m.pairGbps(b, a));
      RC_ASSERT(m.pairPath(a, b) == m.pairPath(b, a));
    }
  }
  NodeInventories nodes;
  nodes.byHost["h"] = m;
  nodes.sourceOf["h"] = "generated";
  std::vector<int> busy;
  if (*rc::gen::arbitrary<bool>()) {
    const int k = *rc::gen::inRange(0, static_cast<int>(n) + 2);
    for (int i = 0; i < k; ++i) busy.push_back(*rc::gen::inRange(-1, static_cast<int>(n) + 1));
    nodes.busyGpus["h"] = busy;
  }
  const int total = *rc::gen::inRange(0, 12);
  const int free = *rc::gen::inRange(0, total + 1);
  const int asked = *rc::gen::inRange(0, 12);
  GpuChoiceMemo memo;
  const HostGpus h = chooseHostGpus("h", nodes, free, total, asked, memo);
  // Asked again of the same memo: the same choice.
  const HostGpus again = chooseHostGpus("h", nodes, free, total, asked, memo);
  RC_ASSERT(again.note == h.note);
  RC_ASSERT(again.gpus.size() == h.gpus.size());
  RC_ASSERT(h.choice.has_value() || !h.note.empty());
  if (!h.choice) return;
  RC_ASSERT(h.gpus.size() == (asked > 0 ? static_cast<std::size_t>(asked) : n));
  for (const NodeGpu& gpu : h.gpus)
    RC_ASSERT(std::find(busy.begin(), busy.end(), gpu.index) == busy.end());
}

}  // namespace
}  // namespace topoplan
