// Jobs that run a topoplan command (probe, allreduce, verify) across a set of nodes, where the
// cluster's scheduler runs work:
//
//   slurm-job    an sbatch script: --nodes, --ntasks-per-node, --exclusive, --nodelist, GPUs per
//                node, the output file, and `srun --mpi=PLUGIN` (or mpirun inside the
//                allocation) running the command; every rank's MPI comes from Slurm. With
//                bindings, each rank starts through a `case` on its node's name that sets the
//                planned GPUs, NICs and cores.
//   mpijob       a Kubeflow MPIJob (kubeflow.org/v2beta1, MPI Operator 0.5 and later): the
//                launcher runs rank 0 (runLauncherAsWorker), so the documents the command writes
//                land in the launcher's working directory, /results (a PersistentVolumeClaim
//                with --results-pvc, else an emptyDir that goes with the pod); workers run the
//                operator's sshd; every pod on its own node of the set (required node affinity
//                on the hostname, required pod anti-affinity), with its GPUs requested.
//   volcano-job  a Volcano Job (batch.volcano.sh/v1alpha1) with the mpi, ssh and svc plugins:
//                the task "launcher" runs rank 0 and mpirun over itself and the workers
//                (MPI_HOST, set by the mpi plugin), the workers run sshd; minAvailable all of
//                them; the job completes when the launcher does.
//
// Every rank runs `program args...`; the command line is quoted for sh where a shell runs it.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

// Inside one node (a plan of place with --node-inventory or inventories): the GPUs by NVML
// index, the NICs nearest them and the cores of their NUMA nodes.
struct NodeBinding {
  std::string host;
  std::vector<int> gpus;
  std::vector<std::string> nics;
  std::string cpuset;  // "" when unknown
  int hostGpus = 0;    // every GPU of the node
};

struct RunJob {
  std::vector<std::string> hosts;  // the nodes, each once
  int ranksPerNode = 1;
  int gpusPerNode = 0;            // GPUs requested on each node; 0: none
  std::vector<std::string> args;  // the topoplan command line, e.g. {"probe", "--out", "c.json"}
  std::string program = "topoplan";
  std::string slurmMpi = "pmix";  // srun --mpi=...; "mpirun": Open MPI's mpirun in the allocation
  std::string resultsClaim;       // PersistentVolumeClaim mounted at /results (Kubernetes)
  std::string name;               // the job's name; empty: "topoplan-" and the subcommand
  std::string comment;
  // Per node (slurm-job): the job requests every GPU of its nodes and each rank sees the planned
  // ones (CUDA_VISIBLE_DEVICES in PCI order), their NICs (NCCL_IB_HCA) and cores (taskset).
  std::vector<NodeBinding> bindings;
  int ranks() const { return static_cast<int>(hosts.size()) * ranksPerNode; }
};

// Checks the job before anything is written: hosts, ranks, a command, names.
Status checkRunJob(const RunJob& job);

std::string slurmJobScript(const RunJob& job);
std::string mpiJobYaml(const RunJob& job, const K8sOptions& options);
std::string volcanoJobYaml(const RunJob& job, const K8sOptions& options);

}  // namespace topoplan
