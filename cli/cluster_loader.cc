#include "cli/cluster_loader.h"

namespace topoplan {

void addClusterOptions(CLI::App* command, ClusterOptions& o) {
  command->add_option("--input-format", o.inputFormat, "auto, json, csv, slurm or ibnetdiscover")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "json", "csv", "slurm", "ibnetdiscover"}));
  command
      ->add_option("--gpus-per-host", o.gpusPerHost, "GPUs per host where the input does not say")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  command->add_option("--host-gbps", o.hostGbps, "declared host link bandwidth (GB/s)");
  command->add_option("--level-gbps", o.levelGbps,
                      "declared uplink bandwidth per level, e.g. ASW=50,PSW=25,DSW=12.5");
  command->add_option("--declared", o.declared,
                      "a declared topology (any format above) whose figures come from the probe "
                      "document given as the cluster: its levels with measured figures, and "
                      "where the measurements disagree (mis-cabled hosts, degraded uplinks, "
                      "levels that are no boundary)");
}

}  // namespace topoplan
