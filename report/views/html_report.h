// The self-contained HTML report: inline SVG plots drawn from the records, no scripts, no
// network. Sections appear for what was given: bus bandwidth against size per series (log2 x
// axis), the pairwise bandwidth heatmap with the inferred islands, the topology tree, the
// recommended gang against the baselines, the regression table, the inventory, and trace replays.
#pragma once

#include <string>
#include <vector>

#include "core/gpu_copy_record.h"
#include "core/inventory_record.h"
#include "report/documents/plan_document.h"
#include "report/documents/replay_document.h"
#include "report/documents/topology_document.h"
#include "report/documents/verify_document.h"
#include "report/gate/compare.h"
#include "report/gate/metrics.h"

namespace topoplan {

class HtmlReport {
 public:
  // Collective metrics (allreduce documents, nccl-tests logs): one series per record kind.
  void addBusbw(const MetricSet& metrics);
  // A probe document: its link metrics as a host x host heatmap, hosts in the topology's order,
  // the top-level domains (islands) outlined; and the topology tree.
  void addCluster(const MetricSet& links, const Topology& topology,
                  const TopologyFindings& findings);
  void addTopology(const std::string& source, const Topology& topology,
                   const TopologyFindings& findings);
  // A topoplan.plan/v1 document.
  void addPlan(const std::string& source, const PlanRecord& plan);
  void addComparison(const CompareResult& result);
  // Predicted against measured busbw per candidate of a verify document, the error on each.
  void addVerify(const std::string& source, const VerifyRun& run);
  // The hosts' inventories (host name, record) of a cluster or an inventory document.
  void addInventory(const std::string& source,
                    const std::vector<std::pair<std::string, InventoryRecord>>& hosts);
  // The gpu probe's copies: bandwidth against the expected peak.
  void addGpuCopies(const std::string& source, const std::vector<GpuCopyRecord>& copies);

  // A topoplan.replay/v1 document: each policy's figures, its utilization and fragmentation over
  // time, and its job completion times as a CDF.
  void addReplay(const std::string& source, const ReplayReport& replay);

  std::string html(const std::string& title) const;

 private:
  std::vector<MetricSet> busbw_;
  std::string sections_;
  int replays_ = 0;
};

}  // namespace topoplan
