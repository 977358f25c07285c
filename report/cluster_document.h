// Reading the measurements out of a topoplan.cluster/v1 document (the probe's output).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/gpu_copy_record.h"
#include "core/interruption.h"
#include "core/link_record.h"
#include "core/result.h"
#include "placement/inference.h"

namespace topoplan {

struct ClusterMeasurements {
  std::vector<std::string> hosts;
  std::vector<PairMeasurement> pairs;  // between different hosts, every probe
};

// One probed path: its links and how to name them.
struct ProbedPath {
  std::string probe;        // "mpi", "tcp"
  std::string iface;        // the interface (tcp), empty otherwise
  std::string networkPath;  // path of links between hosts: "net", "net-container", "net-eth" ...
  std::string localPath;    // path of links within a host: "shm", "loopback"
  ProbeResult result;
};

// What a probe run knows besides its measurements.
struct ProbeRun {
  std::vector<std::string> argv;
  std::vector<std::string> rankHosts;  // index = rank
  std::vector<int> localRanks;
  nlohmann::ordered_json inventories = nlohmann::ordered_json::object();  // host -> inventory
  nlohmann::ordered_json gpuCopies = nlohmann::ordered_json::array();     // gpuCopyJson + host
  std::vector<std::pair<std::string, std::string>> waived;                // (probe, reason)
  double wallSeconds = 0;
  std::optional<Interruption> interruption;  // set when the run ended early
};

// One GPU copy of the gpu probe, as the document's gpu_copies[] holds it (without the host).
nlohmann::ordered_json gpuCopyJson(const GpuCopyRecord& copy);

// The topoplan.cluster/v1 document. Each link's bw_gbps is the largest size's and lat_us the
// smallest size's; a suspect's figures are its serial re-measurement, with the concurrent ones
// kept under `concurrent`. A rank's gpu is its local rank where its host's inventory lists
// that many CUDA devices (one GPU per rank), else null; a link within a host between two ranks
// with GPUs carries `gpu_path`, the path between those GPUs (nvlink, nvswitch, pcie-switch ...).
// sweep[] holds the ping-pong half round trip per size (for the alpha-beta fit).
nlohmann::ordered_json clusterDocument(const ProbeRun& run, const std::vector<ProbedPath>& paths);

// Uses hosts[].name and links[] {host_a, host_b, bw_gbps.median, lat_us.median}; a link with a
// size sweep, sweep[] {bytes, time_us}, uses the sweep's alpha-beta fit instead where it can be
// fitted. Links within a
// host are left out. Errors name the source and field.
Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source);

}  // namespace topoplan
