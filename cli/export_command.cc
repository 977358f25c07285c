#include "cli/export_command.h"

#include <cstdio>

#include <optional>

#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "report/slurm_export.h"
#include "topoplan/config.h"

namespace topoplan {

CLI::App* addExportCommand(CLI::App& app, ExportOptions& o) {
  CLI::App* command = app.add_subcommand(
      "export", "Write a cluster (and a plan) for Slurm or Kubernetes schedulers");
  command->add_option("kind", o.kind, "slurm-tree, slurm-block, k8s-labels, kueue, volcano or gang")
      ->required()
      ->check(
          CLI::IsMember({"slurm-tree", "slurm-block", "k8s-labels", "kueue", "volcano", "gang"}));
  command->add_option("--cluster", o.cluster, "the cluster (as for topo)")->required();
  command->add_option("--plan", o.plan,
                      "a topoplan.plan/v1 document: adds the sbatch line, the Kueue annotation, "
                      "the Volcano PodGroup; required by gang");
  command->add_option("--out", o.out, "write to this file instead of standard output");
  command->add_flag("--slurm-yaml", o.slurmYaml,
                    "topology.yaml (Slurm >= 25.05), not topology.conf");
  command->add_option("--block-level", o.blockLevel,
                      "level whose domains are Slurm blocks (default: the finest)");
  command->add_flag("--script", o.script, "k8s-labels as a kubectl label script, not Node YAML");
  command->add_option("--label-scheme", o.k8s.labelScheme, "topoplan or topograph")
      ->capture_default_str()
      ->check(CLI::IsMember({"topoplan", "topograph"}));
  command->add_option("--label-prefix", o.k8s.labelPrefix, "label key prefix (topoplan scheme)")
      ->capture_default_str();
  command->add_option("--kueue-version", o.k8s.kueueVersion, "v1beta2 or v1beta1")
      ->capture_default_str()
      ->check(CLI::IsMember({"v1beta2", "v1beta1"}));
  command
      ->add_option("--name", o.k8s.name, "name of the Topology, flavor, HyperNode prefix, PodGroup")
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
  std::string content;
  std::string sbatch;
  if (slurm) {
    const bool block = o.kind == "slurm-block";
    SlurmOptions options{o.slurmYaml, *blockLevel, k8s.comment};
    auto text = block ? slurmBlock(topology, options) : slurmTree(topology, options);
    if (!text) return text.error();
    content = *text;
    if (plan) {
      sbatch = sbatchLine(topology, plan->hosts, block, *blockLevel);
      content += "# for the plan: " + sbatch + "\n";
    }
  } else if (o.kind == "k8s-labels") {
    content = o.script ? nodeLabelsScript(topology, cluster->findings.degradedHosts, k8s)
                       : nodeLabelsYaml(topology, cluster->findings.degradedHosts, k8s);
  } else if (o.kind == "kueue") {
    content = kueueExport(topology, k8s, plan ? &*plan : nullptr);
  } else if (o.kind == "volcano") {
    content = volcanoExport(topology, k8s, plan ? &*plan : nullptr);
  } else {
    content = gangExport(topology, k8s, *plan);
  }
  if (o.out.empty()) {
    std::fputs(content.c_str(), stdout);
    return 0;
  }
  TOPOPLAN_TRY(writeFileAtomic(o.out, content));
  std::printf("%s written to %s\n", o.kind.c_str(), o.out.c_str());
  if (!sbatch.empty()) std::printf("%s\n", sbatch.c_str());
  return 0;
}

}  // namespace topoplan
