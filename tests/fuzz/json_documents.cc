// Fuzz target: JSON documents (cluster/v1 with topology inference, read whole and streamed,
// topology/v1, fabric/v1, allreduce/v1, plan/v1 as report and export --plan read it, and the HTML
// report of a plan; replay/v1 and its HTML panel; the inventories and GPU copies of cluster and
// inventory documents and their HTML tables).
#include "core/json_fields.h"
#include "placement/inference.h"
#include "report/documents/allreduce_document.h"
#include "report/documents/cluster_document.h"
#include "report/documents/fabric_document.h"
#include "report/documents/inventory_document.h"
#include "report/documents/plan_document.h"
#include "report/documents/replay_document.h"
#include "report/documents/topology_document.h"
#include "report/views/html_report.h"
#include "tests/fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace topoplan;
  auto document = parseJson(std::string(fuzz::text(data, size)), "fuzz");
  if (!document) return 0;
  if (auto measurements = readClusterMeasurements(*document, "fuzz")) {
    (void)inferCluster(measurements->hosts, measurements->pairs, InferenceOptions{}, "fuzz");
  }
  std::vector<std::string> degraded;
  (void)readTopologyDocument(*document, "fuzz", 8, &degraded);
  (void)readAllreduceRecords(*document, "fuzz");
  (void)readClusterText(std::string(fuzz::text(data, size)), "fuzz");
  if (auto plan = readPlanRecord(*document, "fuzz")) {
    HtmlReport report;
    report.addPlan("fuzz", *plan);
    (void)report.html("fuzz");
  }
  if (auto views = readHostViews(*document, "fuzz")) {
    HtmlReport report;
    report.addInventory("fuzz", views->inventories);
    report.addGpuCopies("fuzz", views->gpuCopies);
    (void)report.html("fuzz");
  }
  if (document->is_object() && document->contains("inventory"))
    (void)inventoryFromJson((*document)["inventory"], "fuzz");
  if (auto replay = readReplayDocument(*document, "fuzz")) {
    HtmlReport report;
    report.addReplay("fuzz", *replay);
    (void)report.html("fuzz");
  }
  if (auto fabric = readFabricDocument(*document, "fuzz")) {
    (void)fabricDocument(*fabric).dump();
    for (std::size_t h = 1; h < fabric->hosts.size() && h < 64; ++h) (void)fabric->pairTruth(0, h);
  }
  return 0;
}
