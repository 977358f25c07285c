// `topoplan export KIND`: a cluster (and optionally a plan) as what schedulers read.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "cli/cluster_loader.h"
#include "report/scheduler/k8s_options.h"

namespace topoplan {

struct ExportOptions {
  std::string kind;  // slurm-tree, slurm-block, slurm-apply, k8s-labels, kueue, volcano, kai, gang
  std::string cluster;
  ClusterOptions load;
  std::string plan;
  std::string nodeInventory;  // slurm-gres: every host's whose own is unknown
  std::string out;
  bool slurmYaml = false;
  std::string blockLevel;
  int switchWaitSeconds = 300;
  bool script = false;
  std::string degraded = "drain";  // slurm-apply: drain or weight
  K8sOptions k8s;
  // slurm-job, mpijob, volcano-job: the nodes (a hostlist, else the plan's gang or the cluster's
  // hosts) and the command the job runs.
  std::string nodes;
  int ranksPerNode = 1;
  int gpusPerNode = -1;  // -1: the plan's GPUs per host, else none
  std::string slurmMpi = "pmix";
  std::string program = "topoplan";
  std::string resultsPvc;
  std::vector<std::string> jobArgs;
};

CLI::App* addExportCommand(CLI::App& app, ExportOptions& options);

// Errors are bad input (exit 2); nothing is written then.
Result<int> runExport(const ExportOptions& options);

}  // namespace topoplan
