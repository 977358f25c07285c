#include "report/scheduler/run_job.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "placement/hostlist.h"
#include "report/scheduler/export_names.h"
#include "report/scheduler/gang_workload.h"
#include "report/scheduler/yaml_emit.h"

namespace topoplan {
namespace {

constexpr const char* kRunLabel = "topoplan.dev/run";
constexpr const char* kResultsPath = "/results";

std::string jobName(const RunJob& job) {
  if (!job.name.empty()) return job.name;
  std::string name = "topoplan-";
  for (char c : job.args.front())
    if (std::isalnum(static_cast<unsigned char>(c)))
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// A word for sh: as it is when nothing in it is special to the shell, else single-quoted.
std::string shellWord(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_./=:,@%+-") == std::string::npos;
  return plain ? text : shellQuote(text);
}

std::string commandLine(const RunJob& job) {
  std::string line = shellWord(job.program);
  for (const std::string& arg : job.args) line += " " + shellWord(arg);
  return line;
}

// The spec of a pod that takes one node of the set to itself (with its GPUs).
YamlObject nodePodSpec(const RunJob& job, const std::string& name, YamlObject container) {
  if (job.gpusPerNode > 0)
    container["resources"] = {{"limits", {{"nvidia.com/gpu", std::to_string(job.gpusPerNode)}}}};
  return {{"affinity",
           {{"nodeAffinity", requiredHostnameIn(job.hosts)},
            {"podAntiAffinity", oneHostEach(kRunLabel, name)}}},
          {"containers", YamlObject::array({container})}};
}

YamlObject podTemplate(const std::string& name, YamlObject spec) {
  return {{"metadata", {{"labels", {{kRunLabel, name}}}}}, {"spec", spec}};
}

// The launcher's pod: rank 0, working in /results, where the documents are written.
YamlObject launcherPodSpec(const RunJob& job, const std::string& name, YamlObject container) {
  container["workingDir"] = kResultsPath;
  container["volumeMounts"] =
      YamlObject::array({{{"name", "results"}, {"mountPath", kResultsPath}}});
  YamlObject spec = nodePodSpec(job, name, container);
  YamlObject volume = {{"name", "results"}};
  if (job.resultsClaim.empty()) {
    volume["emptyDir"] = YamlObject::object();
  } else {
    volume["persistentVolumeClaim"] = {{"claimName", job.resultsClaim}};
  }
  spec["volumes"] = YamlObject::array({volume});
  return spec;
}

std::string resultsNote(const RunJob& job) {
  return "results in /results of the launcher" +
         (job.resultsClaim.empty() ? std::string(" (an emptyDir: set --results-pvc to keep them)")
                                   : ", the claim " + job.resultsClaim);
}

std::string header(const RunJob& job) {
  return job.comment + "\nRuns `" + commandLine(job) + "` as " + std::to_string(job.ranks()) +
         " rank(s), " + std::to_string(job.ranksPerNode) + " on each of " +
         std::to_string(job.hosts.size()) + " node(s): " + compressHostlist(job.hosts);
}

}  // namespace

Status checkRunJob(const RunJob& job) {
  if (job.args.empty())
    return Error(
        "expected the topoplan command the job runs after '--', e.g. -- probe --out "
        "cluster.json");
  if (job.hosts.empty()) return Error("expected the job's nodes (--nodes, --cluster or --plan)");
  std::set<std::string> seen;
  for (const std::string& host : job.hosts)
    if (!seen.insert(host).second) return Error("node '" + host + "' listed twice");
  if (job.ranksPerNode < 1) return Error("--ranks-per-node: expected 1 or more");
  // At most 40: the pods are named after it (NAME-worker-N, NAME-launcher).
  TOPOPLAN_TRY(checkDnsName(jobName(job), "--name", 40, false));
  if (!job.resultsClaim.empty())
    TOPOPLAN_TRY(checkDnsName(job.resultsClaim, "--results-pvc", 63, false));
  return okStatus();
}

namespace {

// The word a rank starts with when the job binds it: sh -c 'case NODE in ... esac; exec ...'
// with the command's words after it ("$0" "$@").
std::string bindingWrapper(const RunJob& job) {
  std::string script = "case \"${SLURMD_NODENAME:-$(hostname -s)}\" in\n";
  for (const NodeBinding& b : job.bindings) {
    std::string gpus, nics;
    for (int g : b.gpus) gpus += (gpus.empty() ? "" : ",") + std::to_string(g);
    std::set<std::string> seen;
    bool named = true;
    for (const std::string& nic : b.nics) {
      if (nic.empty() || !seen.insert(nic).second) continue;
      named = named && nic.find(':') == std::string::npos;  // a PCI bus id is no HCA name
      nics += (nics.empty() ? "=" : ",") + nic;
    }
    script += "  " + shellWord(b.host) + ") export CUDA_VISIBLE_DEVICES=" + gpus;
    if (named && !nics.empty()) script += " NCCL_IB_HCA=" + shellWord(nics);
    script += "; cores=" + (b.cpuset.empty() ? "" : shellWord(b.cpuset)) + " ;;\n";
  }
  script +=
      "  *) echo \"no placement for node ${SLURMD_NODENAME:-$(hostname -s)}\" >&2; exit 2 ;;\n"
      "esac\n"
      "export CUDA_DEVICE_ORDER=PCI_BUS_ID\n"
      "if [ -n \"$cores\" ]; then exec taskset -c \"$cores\" \"$0\" \"$@\"; fi\n"
      "exec \"$0\" \"$@\"";
  return "bash -c " + shellQuote(script);
}

}  // namespace

std::string slurmJobScript(const RunJob& job) {
  const std::string name = jobName(job);
  std::string s = "#!/bin/bash\n" + hashComment(header(job) + "\nSubmit: sbatch THIS-FILE");
  s += "#SBATCH --job-name=" + name + "\n";
  s += "#SBATCH --nodes=" + std::to_string(job.hosts.size()) + "\n";
  s += "#SBATCH --ntasks-per-node=" + std::to_string(job.ranksPerNode) + "\n";
  s += "#SBATCH --exclusive\n";
  s += "#SBATCH --nodelist=" + compressHostlist(job.hosts) + "\n";
  int hostGpus = 0;
  for (const NodeBinding& b : job.bindings) hostGpus = std::max(hostGpus, b.hostGpus);
  if (hostGpus > 0) {
    s += hashComment("Every GPU of each node: the ranks see the planned ones (topoplan place)");
    s += "#SBATCH --gpus-per-node=" + std::to_string(hostGpus) + "\n";
  } else if (job.gpusPerNode > 0) {
    s += "#SBATCH --gpus-per-node=" + std::to_string(job.gpusPerNode) + "\n";
  }
  s += "#SBATCH --output=" + name + "-%j.out\n";
  s += "set -euo pipefail\n";
  s += "echo \"" + name + ": job ${SLURM_JOB_ID} on ${SLURM_JOB_NODELIST}\"\n";
  const std::string command =
      job.bindings.empty() ? commandLine(job) : bindingWrapper(job) + " " + commandLine(job);
  if (job.slurmMpi == "mpirun") {
    // Open MPI's mpirun reads the allocation; one process per task.
    s += "mpirun --map-by ppr:" + std::to_string(job.ranksPerNode) + ":node " +
         (job.bindings.empty() ? "" : "--bind-to none ") + command + "\n";
  } else {
    s += "srun --mpi=" + job.slurmMpi + " --kill-on-bad-exit=1 " +
         (job.bindings.empty() ? "" : "--cpu-bind=none ") + command + "\n";
  }
  return s;
}

std::string mpiJobYaml(const RunJob& job, const K8sOptions& options) {
  const std::string name = jobName(job);
  YamlObject launcher = {{"name", "launcher"},
                         {"image", options.image},
                         {"command", YamlObject::array({"mpirun"})},
                         {"args", YamlObject::array({"-np", std::to_string(job.ranks()),
                                                     "--bind-to", "none", job.program})}};
  for (const std::string& arg : job.args) launcher["args"].push_back(arg);
  // No command: the operator starts the worker's sshd (/usr/sbin/sshd -De) itself.
  YamlObject worker = {{"name", "worker"}, {"image", options.image}};
  YamlObject replicas = {{"Launcher",
                          {{"replicas", 1},
                           {"restartPolicy", "Never"},
                           {"template", podTemplate(name, launcherPodSpec(job, name, launcher))}}}};
  const int workers = static_cast<int>(job.hosts.size()) - 1;
  if (workers > 0) {
    replicas["Worker"] = {{"replicas", workers},
                          {"restartPolicy", "Never"},
                          {"template", podTemplate(name, nodePodSpec(job, name, worker))}};
  }
  YamlObject spec = {{"slotsPerWorker", job.ranksPerNode},
                     {"runLauncherAsWorker", true},
                     {"mpiImplementation", "OpenMPI"},
                     {"runPolicy", {{"cleanPodPolicy", "Running"}, {"backoffLimit", 0}}},
                     {"mpiReplicaSpecs", replicas}};
  YamlObject mpiJob = {{"apiVersion", "kubeflow.org/v2beta1"},
                       {"kind", "MPIJob"},
                       {"metadata", {{"name", name}}},
                       {"spec", spec}};
  return yamlDocuments({mpiJob}, header(job) +
                                     "\nThe image runs topoplan and sshd (as the MPI Operator's "
                                     "images do); " +
                                     resultsNote(job));
}

std::string volcanoJobYaml(const RunJob& job, const K8sOptions& options) {
  const std::string name = jobName(job);
  const std::string slots = std::to_string(job.ranksPerNode);
  // Rank 0 on the launcher, then every worker (MPI_HOST: the workers' names, comma-separated).
  const std::string run = "set -e\nhosts=\"$(hostname):" + slots +
                          "\"\nfor h in $(echo \"${MPI_HOST:-}\" | tr ',' ' "
                          "'); do hosts=\"${hosts},${h}:" +
                          slots + "\"; done\nmpirun --allow-run-as-root -np " +
                          std::to_string(job.ranks()) + " --host \"${hosts}\" --bind-to none " +
                          commandLine(job) + "\n";
  YamlObject launcher = {{"name", "launcher"},
                         {"image", options.image},
                         {"command", YamlObject::array({"/bin/sh", "-c", run})}};
  YamlObject launcherSpec = launcherPodSpec(job, name, launcher);
  launcherSpec["restartPolicy"] = "Never";
  YamlObject tasks = YamlObject::array(
      {{{"name", "launcher"},
        {"replicas", 1},
        {"policies", YamlObject::array({{{"event", "TaskCompleted"}, {"action", "CompleteJob"}}})},
        {"template", podTemplate(name, launcherSpec)}}});
  const int workers = static_cast<int>(job.hosts.size()) - 1;
  if (workers > 0) {
    YamlObject worker = {
        {"name", "worker"},
        {"image", options.image},
        {"command",
         YamlObject::array({"/bin/sh", "-c", "mkdir -p /var/run/sshd; exec /usr/sbin/sshd -D"})}};
    YamlObject workerSpec = nodePodSpec(job, name, worker);
    workerSpec["restartPolicy"] = "Never";
    tasks.push_back(
        {{"name", "worker"}, {"replicas", workers}, {"template", podTemplate(name, workerSpec)}});
  }
  YamlObject spec = {
      {"schedulerName", "volcano"},
      {"queue", options.queue},
      {"minAvailable", static_cast<int>(job.hosts.size())},
      {"maxRetry", 1},
      {"plugins",
       {{"mpi", YamlObject::array({"--master=launcher", "--worker=worker", "--port=22"})},
        {"ssh", YamlObject::array()},
        {"svc", YamlObject::array()}}},
      {"tasks", tasks}};
  YamlObject vcjob = {{"apiVersion", "batch.volcano.sh/v1alpha1"},
                      {"kind", "Job"},
                      {"metadata", {{"name", name}}},
                      {"spec", spec}};
  return yamlDocuments(
      {vcjob}, header(job) + "\nThe image runs topoplan, Open MPI and sshd; " + resultsNote(job));
}

}  // namespace topoplan
