#include "cli/report_command.h"

#include <cstdio>

#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "report/documents/inventory_document.h"
#include "report/gate/run_level_compare.h"
#include "report/views/html_report.h"

namespace topoplan {

CLI::App* addReportCommand(CLI::App& app, ReportOptions& o) {
  CLI::App* command = app.add_subcommand(
      "report",
      "One self-contained HTML page (inline SVG, no scripts) from allreduce, cluster, topology, "
      "plan, verify, replay and inventory documents and nccl-tests logs; two or more allreduce "
      "runs add the "
      "regression table (first against last)");
  command->add_option("files", o.files, "result files")->required();
  command->add_option("--html", o.html, "the page to write")->required();
  command->add_option("--title", o.title, "page title")->capture_default_str();
  addClusterOptions(command, o.load);
  return command;
}

Result<int> runReport(const ReportOptions& o) {
  TOPOPLAN_TRY(checkOutputPath(o.html, "--html"));
  HtmlReport report;
  std::vector<MetricSet> runs;  // allreduce documents, in order
  for (const std::string& file : o.files) {
    auto text = readFile(file);
    if (!text) return text.error();
    const std::size_t first = text->find_first_not_of(" \t\r\n");
    std::string schema;
    nlohmann::ordered_json document;
    if (first != std::string::npos && (*text)[first] == '{') {
      auto parsed = parseJson(*text, file);
      if (!parsed) return parsed.error();
      document = std::move(*parsed);
      if (document.contains("schema")) TOPOPLAN_TRY(readField(document, file, "schema", schema));
    }
    if (schema == "topoplan.verify/v1") {
      auto verified = readVerifyDocument(document, file);
      if (!verified) return verified.error();
      report.addVerify(file, *verified);
    } else if (schema == "topoplan.replay/v1") {
      auto replay = readReplayDocument(document, file);
      if (!replay) return replay.error();
      report.addReplay(file, *replay);
    } else if (schema == "topoplan.plan/v1") {
      auto plan = readPlanRecord(document, file);
      if (!plan) return plan.error();
      report.addPlan(file, *plan);
    } else if (schema == "topoplan.inventory/v1") {
      auto inventory = objectField(document, file, "inventory");
      if (!inventory) return inventory.error();
      auto record = inventoryFromJson(**inventory, file + ".inventory");
      if (!record) return record.error();
      report.addInventory(file, {{record->hostname, *record}});
    } else if (schema == "topoplan.cluster/v1" || schema == "topoplan.topology/v1") {
      auto cluster = loadCluster(file, o.load);
      if (!cluster) return cluster.error();
      if (schema == "topoplan.topology/v1") {
        report.addTopology(file, *cluster->topology, cluster->findings);
        continue;
      }
      auto links = readMetrics(file);
      if (!links) return links.error();
      report.addCluster(*links, *cluster->topology, cluster->findings);
      auto views = readHostViews(document, file);
      if (!views) return views.error();
      report.addInventory(file, views->inventories);
      report.addGpuCopies(file, views->gpuCopies);
    } else {  // allreduce documents, nccl-tests logs and JSON
      auto metrics = readMetrics(file);
      if (!metrics) return metrics.error();
      report.addBusbw(*metrics);
      if (metrics->kind == "allreduce") runs.push_back(*metrics);
    }
  }
  if (runs.size() >= 2)  // the last run against the earlier ones, as compare judges a history
    report.addComparison(
        compareHistory({runs.begin(), runs.end() - 1}, {runs.back()}, CompareSettings{}));
  TOPOPLAN_TRY(writeFileAtomic(o.html, report.html(o.title)));
  std::printf("report written to %s\n", o.html.c_str());
  return 0;
}

}  // namespace topoplan
