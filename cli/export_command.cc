#include "cli/export_command.h"

#include <cstdio>

#include <optional>

#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "report/export/coscheduling_export.h"
#include "report/export/kai_export.h"
#include "report/export/kueue_export.h"
#include "report/export/node_labels.h"
#include "report/export/slurm_export.h"
#include "report/export/volcano_export.h"
#include "report/export/yaml_emit.h"
#include "topoplan/config.h"

namespace topoplan {
namespace {

Result<std::string> slurmContent(const ExportOptions& o, const Topology& topology, int blockLevel,
                                 const std::optional<PlannedGang>& plan, const std::string& comment,
                                 std::string& sbatch) {
  const bool block = o.kind == "slurm-block";
  SlurmOptions options{o.slurmYaml, blockLevel, comment};
  auto text = block ? slurmBlock(topology, options) : slurmTree(topology, options);
  if (!text || !plan) return text;
  sbatch = sbatchLine(topology, plan->hosts, block, blockLevel, o.switchWaitSeconds);
  return *text + "# for the plan: " + sbatch + "\n" + hashComment(sbatchNote(block));
}

Result<std::string> k8sContent(const ExportOptions& o, const LoadedCluster& cluster,
                               const std::optional<PlannedGang>& plan, const K8sOptions& k8s) {
  const Topology& topology = *cluster.topology;
  const std::vector<Finding>& degraded = cluster.findings.degradedHosts;
  const PlannedGang* gang = plan ? &*plan : nullptr;
  if (o.kind == "k8s-labels")
    return o.script ? nodeLabelsScript(topology, degraded, k8s)
                    : nodeLabelsYaml(topology, degraded, k8s);
  if (o.kind == "kueue") return kueueExport(topology, degraded, k8s, gang);
  if (o.kind == "volcano") return volcanoExport(topology, degraded, k8s, gang);
  if (o.kind == "kai") return kaiExport(topology, degraded, k8s, gang);
  return coschedulingExport(topology, degraded, k8s, *plan);
}

}  // namespace

CLI::App* addExportCommand(CLI::App& app, ExportOptions& o) {
  CLI::App* command = app.add_subcommand(
      "export", "Write a cluster (and a plan) for Slurm or Kubernetes schedulers");
  command
      ->add_option("kind", o.kind,
                   "slurm-tree, slurm-block, k8s-labels, kueue, volcano, kai or gang")
      ->required()
      ->check(CLI::IsMember(
          {"slurm-tree", "slurm-block", "k8s-labels", "kueue", "volcano", "kai", "gang"}));
  command->add_option("--cluster", o.cluster, "the cluster (as for topo)")->required();
  command->add_option("--plan", o.plan,
                      "a topoplan.plan/v1 document: adds the sbatch line and the workload that "
                      "runs the gang (Kueue Job, Volcano Job, KAI MPIJob); required by gang");
  command->add_option("--out", o.out, "write to this file instead of standard output");
  command->add_flag("--slurm-yaml", o.slurmYaml,
                    "topology.yaml (Slurm >= 25.05), not topology.conf");
  command->add_option("--block-level", o.blockLevel,
                      "level whose domains are Slurm blocks (default: the finest)");
  command
      ->add_option("--switch-wait", o.switchWaitSeconds,
                   "seconds sbatch --switches may wait for its switch count (Slurm caps it at "
                   "max_switch_wait, 300 s unless set)")
      ->capture_default_str()
      ->check(CLI::Range(0, 365 * 24 * 3600));
  command->add_flag("--script", o.script,
                    "k8s-labels as a kubectl label script (labels the nodes that exist, lists "
                    "the rest), not Node YAML");
  command
      ->add_option("--label-scheme", o.k8s.labelScheme,
                   "topoplan, topograph (fabric.topograph.run/tier-0 closest to the node) or "
                   "topograph-legacy (network.topology.nvidia.com/leaf|spine|core)")
      ->capture_default_str()
      ->check(CLI::IsMember({"topoplan", "topograph", "topograph-legacy"}));
  command->add_option("--label-prefix", o.k8s.labelPrefix, "label key prefix (topoplan scheme)")
      ->capture_default_str();
  command
      ->add_option("--accelerator-levels", o.k8s.acceleratorLevels,
                   "DOMAIN[,SUB_DOMAIN]: the levels topograph labels as accelerator domain and "
                   "sub-domain (default: a level named accelerator, nvlink or nvl)")
      ->delimiter(',');
  command
      ->add_option("--kueue-version", o.k8s.kueueVersion,
                   "v1alpha1 (Kueue 0.9-0.13), v1beta1 (0.14-0.19) or v1beta2 (0.15+)")
      ->capture_default_str()
      ->check(CLI::IsMember({"v1alpha1", "v1beta1", "v1beta2"}));
  command
      ->add_option("--volcano-version", o.k8s.volcanoVersion,
                   "Volcano release, 1.12 or later (HyperNode tierName from 1.14)")
      ->capture_default_str();
  command->add_flag("--volcano-discovery", o.k8s.volcanoDiscovery,
                    "volcano: the controller's label discovery ConfigMap instead of HyperNodes");
  command->add_option("--queue", o.k8s.queue, "Kueue LocalQueue, Volcano or KAI queue")
      ->capture_default_str();
  command
      ->add_option("--scheduler-name", o.k8s.schedulerName,
                   "gang: the scheduler running the coscheduling plugin")
      ->capture_default_str();
  command->add_option("--image", o.k8s.image, "the workload's container image")
      ->capture_default_str();
  command
      ->add_option("--gpus-per-pod", o.k8s.gpusPerPod,
                   "GPUs per pod, a divisor of the plan's GPUs per host (default 1: one pod per "
                   "GPU; the plan's GPUs per host: one pod per host)")
      ->check(CLI::Range(1, 1 << 20));
  command
      ->add_option("--name", o.k8s.name,
                   "name of the Topology, flavor, HyperNode prefix, PodGroup and workload")
      ->capture_default_str();
  addClusterOptions(command, o.load);
  return command;
}

Result<int> runExport(const ExportOptions& o) {
  if (!o.out.empty()) TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  if (o.kind == "gang" && o.plan.empty()) return Error("export gang: expected --plan FILE");
  const bool slurm = o.kind.rfind("slurm-", 0) == 0;
  auto cluster = loadCluster(o.cluster, o.load);
  if (!cluster) return cluster.error();
  const Topology& topology = *cluster->topology;
  auto blockLevel = levelIndex(topology, o.blockLevel, "--block-level");
  if (!blockLevel) return blockLevel.error();
  if (!slurm) TOPOPLAN_TRY(checkK8sExport(topology, o.k8s));
  std::optional<PlannedGang> plan;
  if (!o.plan.empty()) {
    auto read = readPlannedGang(o.plan, topology);
    if (!read) return read.error();
    plan = *read;
  }
  K8sOptions k8s = o.k8s;
  k8s.comment = "topoplan " TOPOPLAN_VERSION " export " + o.kind + " of " + o.cluster +
                (o.plan.empty() ? "" : " and " + o.plan);
  std::string sbatch;
  auto content = slurm ? slurmContent(o, topology, *blockLevel, plan, k8s.comment, sbatch)
                       : k8sContent(o, *cluster, plan, k8s);
  if (!content) return content.error();
  if (o.out.empty()) {
    std::fputs(content->c_str(), stdout);
    return 0;
  }
  TOPOPLAN_TRY(writeFileAtomic(o.out, *content));
  std::printf("%s written to %s\n", o.kind.c_str(), o.out.c_str());
  if (!sbatch.empty())
    std::printf("%s\n%s\n", sbatch.c_str(), sbatchNote(o.kind == "slurm-block").c_str());
  return 0;
}

}  // namespace topoplan
