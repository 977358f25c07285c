// The topoplan.cluster/v1 document (the probe's output): writing it from the probe's records,
// and reading its measurements back.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/fabric_structure.h"
#include "core/gpu_copy_record.h"
#include "core/interruption.h"
#include "core/inventory_record.h"
#include "core/link_record.h"
#include "core/result.h"
#include "placement/inference.h"

namespace topoplan {

// A domain's uplink under all its hosts at once (probe --contention).
struct UplinkAggregate {
  std::vector<std::string> hosts;
  double gbps = 0;
  std::size_t flows = 0;
  double flowP10 = 0, flowP90 = 0;
};

// A duplex group of the probe: a finest domain's hosts in a ring, or across an uplink a host of
// each of two sibling domains, each sending to the next while receiving (probes/contention.h).
struct RingFigure {
  std::vector<std::string> hosts;
  double gbps = 0, p10 = 0, p90 = 0;
  std::vector<double> rates;  // each host's send rate, in the order of hosts (may be empty)
  bool acrossUplink = false;
};

// What a cluster document says of its hosts besides the links: each host's inventory (hosts
// whose inventory is empty or an error have none) and the gpu probe's copies, as records.
struct ClusterHostViews {
  std::vector<std::pair<std::string, InventoryRecord>> inventories;  // (host, its inventory)
  std::vector<GpuCopyRecord> gpuCopies;
  // Lenient reading only: what could not be read (a host's name, or "gpu_copies") and why.
  std::map<std::string, std::string> unreadable;
};

struct ClusterMeasurements {
  std::vector<std::string> hosts;
  ClusterHostViews views;              // the hosts' inventories and the gpu probe's copies
  std::vector<PairMeasurement> pairs;  // between different hosts, every probe and path
  std::vector<UplinkAggregate> aggregates;
  std::vector<RingFigure> rings;
};

// One probed path: its links and how to name them.
struct ProbedPath {
  std::string probe;        // "mpi", "tcp", "ib"
  std::string iface;        // the interface (tcp) or port (ib), empty otherwise
  std::string networkPath;  // path of links between hosts: "net", "net-container", "net-eth" ...
  std::string localPath;    // path of links within a host: "shm", "loopback"
  ProbeResult result;
};

// The discovery pass (probe --pairs auto beyond 128 hosts without --declared): every pair's
// small-message figures, from which the structure of the sampled first pass is inferred.
struct DiscoveryRecord {
  std::size_t pairs = 0;
  int rounds = 0;
  int levels = 0;       // that inference found in it
  std::string outcome;  // what the probe did with it, in words
};

// What a probe run knows besides its measurements.
struct ProbeRun {
  std::vector<std::string> argv;
  std::vector<std::string> rankHosts;  // index = rank
  std::vector<int> localRanks;
  std::map<std::string, InventoryRecord> inventories;                // host -> its inventory
  std::map<std::string, std::string> inventoryErrors;                // host -> why it has none
  std::vector<GpuCopyRecord> gpuCopies;                              // every host's, host set
  std::vector<std::pair<std::string, std::string>> waived;           // (probe, reason)
  nlohmann::ordered_json config = nlohmann::ordered_json::object();  // the probe's settings
  bool keepSweeps = false;                  // write every link's per-size figures
  FabricStructure structure;                // the classes of the suspects and of the path overheads
  std::vector<DomainAggregate> aggregates;  // the contention pattern's, when run
  std::vector<DomainRing> rings;
  std::string aggregatesPath;
  double wallSeconds = 0;
  std::optional<Interruption> interruption;  // set when the run ended early
  std::optional<DiscoveryRecord> discovery;  // when a discovery pass ran
  // Probed against a modeled fabric (probe --fabric): the probe's wall time on that fabric.
  bool modeled = false;
  double modeledWallSeconds = 0;
};

// One GPU copy of the gpu probe, as the document's gpu_copies[] holds it (with its host when
// set); and the record back, every field checked (errors name `where` and the field).
nlohmann::ordered_json gpuCopyJson(const GpuCopyRecord& copy);
Result<GpuCopyRecord> gpuCopyFromJson(const nlohmann::ordered_json& json, const std::string& where);

// The hosts' views of a cluster document (its links apart). `lenient`: an inventory or a GPU
// copy that cannot be read is left out and named in `unreadable`, not an error (loading a cluster
// for its links does not fail on them).
Result<ClusterHostViews> readHostViews(const nlohmann::ordered_json& document,
                                       const std::string& source, bool lenient = false);

// The topoplan.cluster/v1 document as text, one link per line. Each link's bw_gbps is its
// largest measured size's (`bytes`) and lat_us its smallest size's; a link measured again keeps
// its first figures under `concurrent`; `fit` is the alpha-beta fit of its ping-pong sweep (its
// latency without the transfer time) where the sweep can be fitted; sizes[] and sweep[] only
// with keepSweeps. A rank's gpu is its local rank where its host's inventory lists that many
// CUDA devices (one GPU per rank), else null; a link within a host between two ranks with GPUs
// carries `gpu_path`, the path between those GPUs (nvlink, nvswitch, pcie-switch ...).
// path_overhead[] compares paths measured over the same pairs (see path_overhead.h).
std::string clusterDocumentText(const ProbeRun& run, const std::vector<ProbedPath>& paths);

// The same document as JSON (for tests and small clusters).
nlohmann::ordered_json clusterDocument(const ProbeRun& run, const std::vector<ProbedPath>& paths);

// A cluster document of host pairs that were not probed by this run (a generated fabric: one
// rank per host, every pair's figures as given, `source` as each link's source).
std::string pairsDocumentText(const std::vector<std::string>& hosts,
                              const std::vector<PairMeasurement>& pairs,
                              const std::vector<std::string>& argv, const std::string& source);

// Reads hosts[].name and links[] {host_a, host_b, probe, iface, bw_gbps {median, p10, p90},
// lat_us {median, p10, p90}, samples, fit.alpha_us, measured_utc} of a cluster document's text,
// streaming the links (a million links need no more memory than their records). A link's
// latency is its fit's alpha where the document has one, else the alpha of its sweep[] where
// that can be fitted, else its lat_us. Links within a host are left out. Errors name the source
// and field.
Result<ClusterMeasurements> readClusterText(const std::string& text, const std::string& source);

// The same from a parsed document.
Result<ClusterMeasurements> readClusterMeasurements(const nlohmann::ordered_json& document,
                                                    const std::string& source);

}  // namespace topoplan
