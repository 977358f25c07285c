// Checks a topoplan.cluster/v1 document written by an mpirun probe test:
//   validate_cluster_json FILE RANKS HARDWARE [--racks RATIO]
// Every rank pair exactly once, N-1 rounds (N even), positive figures with samples; each probe of
// HARDWARE (gpu, ib) waived with a reason, or (gpu) measured on every host not waived. With --racks
// (hosts of a simulated cluster, named rRnN): hosts differ per rank, and every pair inside a rack
// measures at least RATIO x the bandwidth of every pair across racks, and the duplex rounds ran: a
// ring (or pair) per rack whose hosts each send at least RATIO x each way of a pair across the
// uplinks, where the first pass found the racks.
#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <tuple>

#include "core/atomic_file.h"
#include "core/data_type.h"
#include "core/json_fields.h"
#include "report/documents/cluster_document.h"
#include "tests/expectations.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

// Every rank pair exactly once per probe, with positive figures; returns the probes seen and
// the pairs measured.
std::pair<std::set<std::string>, std::size_t> checkLinks(const Json& d, int ranks,
                                                         Expectations& expect) {
  expect(d["ranks"].size() == static_cast<std::size_t>(ranks), "one entry per rank");
  expect(d["rounds"] == (ranks % 2 == 0 ? ranks - 1 : ranks), "N-1 rounds (N for odd N)");
  expect(d["retest_rounds"].is_number_integer(), "retest_rounds");
  for (const auto& path : d["paths"]) {
    expect(path["links"] == ranks * (ranks - 1) / 2, "every pair once per path");
    expect(!path["suspect_rule"].get<std::string>().empty(), "the suspect rule in words");
  }
  std::set<std::tuple<std::string, int, int>> pairs;
  std::set<std::string> probes;
  for (const auto& link : d["links"]) {
    const int a = link["a"], b = link["b"];
    const std::string probe = link["probe"];
    probes.insert(probe);
    expect(a < b && pairs.insert({probe, a, b}).second,
           probe + " pair " + std::to_string(a) + "-" + std::to_string(b) + " once");
    expect(link["bw_gbps"]["median"].get<double>() > 0, "positive bandwidth");
    expect(link["lat_us"]["median"].get<double>() > 0, "positive latency");
    expect(link["bw_gbps"]["p10"].get<double>() <= link["bw_gbps"]["p90"].get<double>(),
           "p10 <= p90");
    expect(link["samples"].get<int>() > 0, "samples");
    expect(link["source"] == "measured", "source measured");
    expect(link["budget_limited"].is_boolean() && link["measured_alone"].is_boolean(),
           "budget_limited and measured_alone");
    if (link.contains("sizes")) {  // --keep-sweeps
      const std::size_t skipped = link.contains("skipped_sizes") ? link["skipped_sizes"].size() : 0;
      expect(link["sizes"].size() + skipped == d["probe_config"]["sizes"].size(),
             "every size measured or skipped");
      expect(link["sweep"].size() == link["sizes"].size(), "one sweep point per size");
    }
  }
  expect(pairs.size() == probes.size() * static_cast<std::size_t>(ranks * (ranks - 1) / 2),
         "every pair once per probe");
  return {probes, pairs.size()};
}

// Each probe of `hardware` waived with a reason or measured; gpu measured or waived per host.
void checkHardware(const Json& d, std::string_view hardware, const std::set<std::string>& probes,
                   const ClusterHostViews& views, Expectations& expect) {
  std::set<std::string> waived, gpuWaivedHosts;
  for (const auto& w : d["waived"]) {
    const std::string reason = w["reason"].get<std::string>();
    expect(!reason.empty(), "a waived probe has a reason");
    waived.insert(w["probe"].get<std::string>());
    if (w["probe"] == "gpu" && reason.find(" on host ") != std::string::npos) {
      gpuWaivedHosts.insert(reason.substr(reason.rfind(" on host ") + 9));
    }
  }
  std::set<std::string> copiedHosts;
  for (const GpuCopyRecord& copy : views.gpuCopies) {
    copiedHosts.insert(copy.host);
    expect(copy.bwGbps.median > 0, "a gpu copy has a positive bandwidth");
    expect(!copy.path.empty(), "a gpu copy has a path");
  }
  for (std::string_view probe : splitList(hardware)) {
    if (probe != "gpu") {
      expect(waived.count(std::string(probe)) == 1 || probes.count(std::string(probe)) == 1,
             std::string(probe) + " waived or measured");
      continue;
    }
    for (const auto& host : d["hosts"]) {
      const std::string name = host["name"];
      expect(copiedHosts.count(name) + gpuWaivedHosts.count(name) == 1,
             "gpu measured or waived (not both) on host " + name);
    }
  }
}

// Every host's inventory reads back into a record that says what CUDA and ibverbs found, or
// why nothing; a rank's GPU is its local rank.
void checkInventories(const Json& d, const ClusterHostViews& views, Expectations& expect) {
  expect(views.inventories.size() == d["hosts"].size(), "every host has an inventory");
  for (const auto& [host, inventory] : views.inventories) {
    expect(inventory.cuda.has_value() && inventory.ib.has_value(),
           "the inventory of " + host + " says what CUDA and ibverbs found");
  }
  for (const auto& rank : d["ranks"]) {
    expect(rank["gpu"].is_null() || rank["gpu"] == rank["local_rank"],
           "a rank's gpu is its local rank");
  }
}

// Simulated racks (hosts rRnN): every rank on its own host, every pair inside a rack at least
// `ratio` x every pair across racks.
void checkRacks(const Json& d, int ranks, const std::string& ratioText, Expectations& expect) {
  const double ratio = std::stod(ratioText);
  std::set<std::string> hosts;
  for (const auto& rank : d["ranks"]) hosts.insert(rank["host"].get<std::string>());
  expect(hosts.size() == static_cast<std::size_t>(ranks), "every rank on its own hostname");
  double slowestInside = 1e300, fastestAcross = 0;
  for (const auto& link : d["links"]) {
    if (link["probe"] != "mpi") continue;  // the rule is about the MPI path
    const std::string a = link["host_a"], b = link["host_b"];
    const double bw = link["bw_gbps"]["median"];
    const bool sameRack = a.substr(0, a.find('n')) == b.substr(0, b.find('n'));
    if (sameRack)
      slowestInside = std::min(slowestInside, bw);
    else
      fastestAcross = std::max(fastestAcross, bw);
  }
  std::printf("slowest pair inside a rack %.4f GB/s, fastest across racks %.4f GB/s (%.1fx)\n",
              slowestInside, fastestAcross, slowestInside / fastestAcross);
  expect(slowestInside >= ratio * fastestAcross,
         "every pair inside a rack >= " + ratioText + "x every pair across racks");
  // The duplex rounds: a ring per rack (its hosts), one pair across the racks' uplinks, each host
  // of a rack sending at least `ratio` x what each side of the pair across sends.
  const auto rack = [](const std::string& host) { return host.substr(0, host.find('n')); };
  std::set<std::string> ringRacks;
  double slowestRing = 1e300, fastestAcrossUplink = 0;
  for (const auto& ring : d["domain_rings"]) {
    std::set<std::string> racks;
    for (const auto& host : ring["hosts"]) racks.insert(rack(host.get<std::string>()));
    expect(racks.size() == 1, "a ring of hosts in one rack");
    ringRacks.insert(racks.begin(), racks.end());
    for (const auto& rate : ring["rates_gbps"])
      slowestRing = std::min(slowestRing, rate.get<double>());
  }
  expect(ringRacks.size() == 2, "a duplex ring in each rack");
  // Pairs across uplinks where the first pass found the racks (two hosts a rack are too few for
  // it to, and then each rack's hosts are paired by their fastest link instead).
  expect(d["uplink_duplex"].size() <= 1, "at most one duplex pair across the racks' uplinks");
  for (const auto& pair : d["uplink_duplex"]) {
    expect(rack(pair["hosts"][0]) != rack(pair["hosts"][1]), "the pair across spans the racks");
    for (const auto& rate : pair["rates_gbps"])
      fastestAcrossUplink = std::max(fastestAcrossUplink, rate.get<double>());
  }
  std::printf(
      "duplex: slowest host in a rack's ring %.4f GB/s, across the uplinks %.4f GB/s (%zu pair)\n",
      slowestRing, fastestAcrossUplink, d["uplink_duplex"].size());
  expect(slowestRing >= ratio * fastestAcrossUplink,
         "every host in its rack's ring >= " + ratioText + "x each way across the uplinks");
}

}  // namespace
}  // namespace topoplan

int main(int argc, char** argv) {
  using namespace topoplan;
  if (argc != 4 && !(argc == 6 && std::string(argv[4]) == "--racks")) {
    std::fprintf(stderr, "usage: %s FILE RANKS HARDWARE [--racks RATIO]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int ranks = std::stoi(argv[2]);
  auto doc = readJsonFile(path);
  if (!doc) return std::fprintf(stderr, "%s\n", doc.error().message().c_str()), 1;
  auto measurements = readClusterMeasurements(*doc, path);
  if (!measurements) return std::fprintf(stderr, "%s\n", measurements.error().message().c_str()), 1;
  auto views = readHostViews(*doc, path);
  if (!views) return std::fprintf(stderr, "%s\n", views.error().message().c_str()), 1;
  Expectations expect;
  const auto [probes, pairs] = checkLinks(*doc, ranks, expect);
  checkHardware(*doc, argv[3], probes, *views, expect);
  checkInventories(*doc, *views, expect);
  if (argc == 6) checkRacks(*doc, ranks, argv[5], expect);
  std::printf("%s: %zu links over %zu probe(s), %d failures\n", path.c_str(), pairs, probes.size(),
              expect.failures());
  return expect.failures() == 0 ? 0 : 1;
}
