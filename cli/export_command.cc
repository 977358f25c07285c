#include "cli/export_command.h"

#include <cstdio>

#include <optional>
#include <set>

#include "cli/node_inputs.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "placement/hostlist.h"
#include "report/scheduler/coscheduling_export.h"
#include "report/scheduler/dra_export.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/kai_export.h"
#include "report/scheduler/kueue_export.h"
#include "report/scheduler/node_labels.h"
#include "report/scheduler/run_job.h"
#include "report/scheduler/slurm_apply.h"
#include "report/scheduler/slurm_export.h"
#include "report/scheduler/slurm_gres.h"
#include "report/scheduler/volcano_export.h"
#include "report/scheduler/yaml_emit.h"
#include "topoplan/config.h"

namespace topoplan {
namespace {

Result<std::string> slurmContent(const ExportOptions& o, const LoadedCluster& cluster,
                                 int blockLevel, const std::optional<PlannedGang>& plan,
                                 const std::string& comment, std::string& sbatch) {
  const Topology& topology = *cluster.topology;
  if (o.kind == "slurm-gres") {
    auto nodes = nodeInventories(cluster, o.nodeInventory);
    if (!nodes) return nodes.error();
    return slurmGres(topology, *nodes, comment);
  }
  if (o.kind == "slurm-apply") {
    SlurmApplyOptions options{o.degraded == "weight", comment, "", {}};
    if (plan) options.planLine = sbatchLine(topology, plan->hosts, false, -1, o.switchWaitSeconds);
    for (const auto* list : {&cluster.findings.degradedUplinks, &cluster.findings.degradedLinks})
      options.notes.insert(options.notes.end(), list->begin(), list->end());
    return slurmApplyScript(topology, cluster.findings.degradedHosts, options);
  }
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
  if (o.kind == "dra-claims") return draClaims(*plan, k8s);
  return coschedulingExport(topology, degraded, k8s, *plan);
}

// The plan's choice inside every host of its gang, where place made one for each.
std::vector<NodeBinding> planBindings(const PlannedGang& plan) {
  std::vector<NodeBinding> bindings;
  for (const PlannedHostGpus& h : plan.placement) {
    if (h.gpus.empty()) {
      std::fprintf(stderr, "# the plan chose no GPUs on %s: the job binds no GPUs, NICs or cores\n",
                   h.host.c_str());
      return {};
    }
    bindings.push_back({h.host, h.gpus, h.nics, h.cpuset, h.hostGpus});
  }
  return bindings;
}

bool isJob(const std::string& kind) {
  return kind == "slurm-job" || kind == "mpijob" || kind == "volcano-job";
}

// slurm-job, mpijob, volcano-job: the nodes from --nodes, else the plan's gang, else every host.
Result<std::string> jobContent(const ExportOptions& o) {
  RunJob job;
  job.args = o.jobArgs;
  job.ranksPerNode = o.ranksPerNode;
  job.program = o.program;
  job.slurmMpi = o.slurmMpi;
  job.resultsClaim = o.resultsPvc;
  job.name = o.k8s.name == K8sOptions{}.name ? "" : o.k8s.name;
  job.gpusPerNode = std::max(o.gpusPerNode, 0);
  if (!o.nodes.empty()) {
    if (!o.cluster.empty() || !o.plan.empty())
      return Error("--nodes: expected either a hostlist or --cluster (with --plan), not both");
    auto hosts = expandHostlist(o.nodes, 100'000);
    if (!hosts) return hosts.error().context("--nodes");
    job.hosts = *hosts;
  } else {
    if (o.cluster.empty())
      return Error("export " + o.kind + ": expected --nodes HOSTLIST or --cluster FILE");
    auto cluster = loadCluster(o.cluster, o.load);
    if (!cluster) return cluster.error();
    const Topology& topology = *cluster->topology;
    std::vector<int> hosts;
    if (!o.plan.empty()) {
      auto plan = readPlannedGang(o.plan, topology);
      if (!plan) return plan.error();
      hosts = plan->hosts;
      if (o.gpusPerNode < 0) job.gpusPerNode = plan->gpusPerHost;
      if (job.args.front() != "verify") job.bindings = planBindings(*plan);
      if (job.args.front() == "verify") {
        // verify measures the alternatives and baselines too: every host of the plan.
        auto record = readPlanFile(o.plan);
        if (!record) return record.error();
        std::set<int> all(hosts.begin(), hosts.end());
        for (const auto* list : {&record->alternatives, &record->baselines})
          for (const PlannedPlacement& p : *list)
            for (const std::string& host : p.hosts)
              if (topology.hostIndex(host) >= 0) all.insert(topology.hostIndex(host));
        hosts.assign(all.begin(), all.end());
      }
    } else {
      for (std::size_t h = 0; h < topology.hosts().size(); ++h)
        hosts.push_back(static_cast<int>(h));
    }
    for (int h : hosts) job.hosts.push_back(topology.hosts()[static_cast<std::size_t>(h)].name);
  }
  TOPOPLAN_TRY(checkRunJob(job));
  job.comment = "topoplan " TOPOPLAN_VERSION " export " + o.kind;
  if (o.kind == "slurm-job") {
    TOPOPLAN_TRY(checkSlurmHostNames(job.hosts));
    return slurmJobScript(job);
  }
  TOPOPLAN_TRY(checkKubernetesHostNames(job.hosts));
  return o.kind == "mpijob" ? mpiJobYaml(job, o.k8s) : volcanoJobYaml(job, o.k8s);
}

}  // namespace

CLI::App* addExportCommand(CLI::App& app, ExportOptions& o) {
  CLI::App* command = app.add_subcommand(
      "export", "Write a cluster (and a plan) for Slurm or Kubernetes schedulers");
  command
      ->add_option("kind", o.kind,
                   "slurm-tree, slurm-block, slurm-apply (a script that applies them to a live "
                   "Slurm), slurm-gres (gres.conf: Cores and Links per GPU), k8s-labels, kueue, "
                   "volcano, kai, gang or dra-claims (a plan's GPUs as ResourceClaims); or a "
                   "job that runs a topoplan command: slurm-job, mpijob or volcano-job")
      ->required()
      ->check(CLI::IsMember({"slurm-tree", "slurm-block", "slurm-apply", "slurm-gres", "k8s-labels",
                             "kueue", "volcano", "kai", "gang", "dra-claims", "slurm-job", "mpijob",
                             "volcano-job"}));
  command->add_option("args", o.jobArgs,
                      "jobs: the topoplan command line the job runs, after '--' (e.g. -- probe "
                      "--out cluster.json)");
  command->add_option("--cluster", o.cluster,
                      "the cluster (as for topo); required except for jobs given --nodes");
  command->add_option("--nodes", o.nodes, "jobs: the nodes, a Slurm hostlist such as gpu[01-16]");
  command->add_option("--node-inventory", o.nodeInventory,
                      "slurm-gres: the inventory of every host whose own is unknown (hwloc XML, "
                      "NCCL topology file or topoplan inventory --json)");
  command->add_option("--ranks-per-node", o.ranksPerNode, "jobs: MPI ranks on each node")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  command
      ->add_option("--gpus-per-node", o.gpusPerNode,
                   "jobs: GPUs to request on each node (default: the plan's GPUs per host, else "
                   "none)")
      ->check(CLI::Range(0, 4096));
  command
      ->add_option("--slurm-mpi", o.slurmMpi,
                   "slurm-job: srun --mpi plugin (pmix, pmix_v4, pmi2, ...), or mpirun")
      ->capture_default_str();
  command->add_option("--topoplan-bin", o.program, "jobs: the topoplan binary on the nodes")
      ->capture_default_str();
  command->add_option("--results-pvc", o.resultsPvc,
                      "mpijob, volcano-job: a PersistentVolumeClaim mounted at /results, where "
                      "the launcher (rank 0) writes");
  command->add_option("--plan", o.plan,
                      "a topoplan.plan/v1 document: adds the sbatch line and the workload that "
                      "runs the gang (Kueue Job, Volcano Job, KAI MPIJob); required by gang");
  command->add_option("--out", o.out, "write to this file instead of standard output");
  command->add_flag("--slurm-yaml", o.slurmYaml,
                    "topology.yaml (Slurm >= 25.05), not topology.conf");
  command
      ->add_option("--degraded", o.degraded,
                   "slurm-apply: what degraded hosts get: drain (a drain with the finding as the "
                   "reason) or weight (a node weight that makes Slurm take them last)")
      ->capture_default_str()
      ->check(CLI::IsMember({"drain", "weight"}));
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

namespace {

// The cluster (and plan) for a scheduler: topology.conf, labels, Kueue, Volcano, KAI, gang.
Result<std::string> clusterContent(const ExportOptions& o, std::string& sbatch) {
  if (!o.jobArgs.empty())
    return Error("export " + o.kind + ": unexpected '" + o.jobArgs.front() +
                 "' (a command line is for jobs)");
  if (o.cluster.empty()) return Error("export " + o.kind + ": expected --cluster FILE");
  if ((o.kind == "gang" || o.kind == "dra-claims") && o.plan.empty())
    return Error("export " + o.kind + ": expected --plan FILE");
  const bool slurm = o.kind.rfind("slurm-", 0) == 0;
  auto cluster = loadCluster(o.cluster, o.load);
  if (!cluster) return cluster.error();
  std::fputs(calibrationNote(*cluster).c_str(), stderr);
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
  return slurm ? slurmContent(o, *cluster, *blockLevel, plan, k8s.comment, sbatch)
               : k8sContent(o, *cluster, plan, k8s);
}

}  // namespace

Result<int> runExport(const ExportOptions& o) {
  if (!o.out.empty()) TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  std::string sbatch;
  auto content = isJob(o.kind) ? jobContent(o) : clusterContent(o, sbatch);
  if (!content) return content.error();
  if (o.out.empty()) {
    std::fputs(content->c_str(), stdout);
    return 0;
  }
  TOPOPLAN_TRY(writeFileAtomic(o.out, *content));
  std::printf("%s written to %s\n", o.kind.c_str(), o.out.c_str());
  if (!sbatch.empty())
    std::printf("%s\n%s\n", sbatch.c_str(), sbatchNote(o.kind == "slurm-block").c_str());
  if (o.kind == "slurm-apply")
    std::printf(
        "run it where SLURM_CONF names the live slurm.conf: bash %s; undo: bash %s --undo\n",
        o.out.c_str(), o.out.c_str());
  return 0;
}

}  // namespace topoplan
