#include "cli/plan_commands.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "cli/node_inputs.h"
#include "cli/output_path.h"
#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "core/units.h"
#include "placement/baselines.h"
#include "placement/calibration.h"
#include "placement/gang.h"
#include "placement/hostlist.h"
#include "placement/planner.h"
#include "report/documents/kept_calibration.h"
#include "report/documents/plan_document.h"
#include "report/documents/verify_document.h"
#include "report/scheduler/scheduler_nodes.h"

namespace topoplan {
namespace {

// The free state and, where it names them, the busy GPUs' indices per host.
struct FreeInput {
  FreeState state;
  std::map<std::string, std::vector<int>> busyGpus;
  std::map<std::string, std::vector<std::string>> busyGpuBusIds;
};

// place's own free state: CSV host,free_gpus, or {"hosts": {NAME: N or {"busy_gpus": [...]}}}.
Result<FreeInput> parseFree(const std::string& text, const std::string& path,
                            const Topology& topology) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  FreeInput out;
  if (first == std::string::npos || text[first] != '{') {
    auto map = parseFreeCsv(text, path);
    if (!map) return map.error();
    auto state = FreeState::fromMap(topology, *map, path);
    if (!state) return state.error();
    out.state = std::move(*state);
    return out;
  }
  auto json = parseJson(text, path);
  if (!json) return json.error();
  auto hosts = objectField(*json, path, "hosts");
  if (!hosts) return hosts.error();
  std::map<std::string, int> free;
  for (const auto& [host, value] : (*hosts)->items()) {
    const std::string where = path + ".hosts." + host;
    if (value.is_object()) {
      const int index = topology.hostIndex(host);
      if (index < 0) return Error(where + ": not a host of the cluster");
      const int total = topology.hosts()[static_cast<std::size_t>(index)].gpus;
      auto busy = arrayField(value, where, "busy_gpus");
      if (!busy) return busy.error();
      std::vector<int>& indices = out.busyGpus[host];
      for (const auto& gpu : **busy) {
        if (!gpu.is_number_unsigned() ||
            gpu.get<std::uint64_t>() >= static_cast<std::uint64_t>(total))
          return Error(where + ".busy_gpus: " + gpu.dump() + ", expected GPU indices 0 to " +
                       std::to_string(total - 1));
        const int g = gpu.get<int>();
        if (std::find(indices.begin(), indices.end(), g) != indices.end())
          return Error(where + ".busy_gpus: " + std::to_string(g) + " is named twice");
        indices.push_back(g);
      }
      free[host] = total - static_cast<int>(indices.size());
      continue;
    }
    std::uint64_t count = 0;
    TOPOPLAN_TRY(readField(**hosts, path + ".hosts", host.c_str(), count));
    if (count > 1024) return Error(where + ": " + std::to_string(count) + ", expected 0 to 1024");
    free[host] = static_cast<int>(count);
  }
  auto state = FreeState::fromMap(topology, free, path);
  if (!state) return state.error();
  out.state = std::move(*state);
  return out;
}

// --free: place's CSV or {"hosts": ...}, or what a scheduler prints
// (report/scheduler/scheduler_nodes.h): its summary goes to standard error.
Result<FreeInput> readFreeState(const std::vector<std::string>& paths, const Topology& topology) {
  auto first = readFile(paths.front());
  if (!first) return first.error();
  if (!looksLikeSchedulerOutput(*first)) {
    if (paths.size() > 1)
      return Error(paths[1] + ": a second --free file is for kubectl (nodes and pods)");
    return parseFree(*first, paths.front(), topology);
  }
  auto nodes = readSchedulerNodes(paths);
  if (!nodes) return nodes.error();
  SchedulerFree free = schedulerFree(*nodes, topology);
  std::fprintf(stderr, "# free state from %s (%s): %zu node(s)\n", nodes->format.c_str(),
               nodes->sources.c_str(), nodes->nodes.size());
  for (const std::string& line : free.summary) std::fprintf(stderr, "#   %s\n", line.c_str());
  auto state = FreeState::fromMap(topology, free.freeGpus, nodes->sources, free.unavailable);
  if (!state) return state.error();
  return FreeInput{std::move(*state), std::move(free.busyGpus), std::move(free.busyGpuBusIds)};
}

Status emit(const std::string& out, const std::string& content) {
  if (out.empty()) {
    std::fputs(content.c_str(), stdout);
    return okStatus();
  }
  return writeFileAtomic(out, content);
}

}  // namespace

CLI::App* addTopoCommand(CLI::App& app, TopoOptions& o) {
  CLI::App* command = app.add_subcommand(
      "topo", "Inferred structure of a cluster: levels, islands, degraded hosts and links");
  command
      ->add_option("cluster", o.cluster,
                   "probe or topology document, hierarchy CSV, "
                   "topology.conf, ibnetdiscover dump or synthetic:SPEC")
      ->required();
  command->add_option("--format", o.format, "text, json or dot")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "dot"}));
  command->add_option("--out", o.out, "write to this file instead of standard output");
  addClusterOptions(command, o.load);
  return command;
}

CLI::App* addPlaceCommand(CLI::App& app, PlaceOptions& o) {
  CLI::App* command = app.add_subcommand(
      "place", "Recommend an all-or-nothing gang of hosts, with alternatives and baselines");
  command->add_option("--cluster", o.cluster, "the cluster (as for topo)")->required();
  command->add_option("--free", o.free,
                      "free GPUs: JSON {\"hosts\": {NAME: N or {\"busy_gpus\": [0, 3]}}} or CSV "
                      "host,free_gpus; or what the "
                      "scheduler prints: scontrol show node [--oneliner|--json], sinfo -N [-O "
                      "NodeList,StateLong,Gres,GresUsed], kubectl get nodes,pods -A -o json (or "
                      "--free NODES.json --free PODS.json; with resourceslices,resourceclaims "
                      "also the DRA GPUs and which are busy)");
  command->add_option("--gang", o.gang, "N hosts, or NxG: N hosts with G free GPUs each")
      ->required();
  command->add_option("--node-inventory", o.nodeInventory,
                      "inside the hosts: the inventory of every host whose own is unknown (hwloc "
                      "XML, NCCL topology file, or topoplan inventory --json); with it, or with "
                      "inventories in the probe document, place also chooses each host's GPUs, "
                      "NICs and cores");
  command->add_option("--pattern", o.pattern, "ring, tree or alltoall")
      ->capture_default_str()
      ->check(CLI::IsMember({"ring", "tree", "alltoall"}));
  command->add_option("--bytes", o.bytes, "collective size the prediction is for")
      ->capture_default_str();
  command->add_option("--require-level", o.requireLevel,
                      "all hosts inside one domain of this level");
  command->add_option("--prefer-level", o.preferLevel,
                      "inside one domain of this level when possible");
  command->add_flag("--allow-degraded", o.allowDegraded, "consider hosts found degraded");
  command->add_option("--top", o.top, "alternatives to list")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  command->add_option("--seed", o.seed, "seed of the random baseline")->capture_default_str();
  command->add_option("--candidate", o.candidates,
                      "NAME=HOSTLIST: also predict these hosts (e.g. the nodes a scheduler "
                      "chose), listed with the baselines as NAME; verify measures it too");
  command->add_option("--json", o.json, "write a topoplan.plan/v1 document here");
  command->add_option("--calibrate", o.calibrate,
                      "topoplan.verify/v1 documents: per level, the median ratio of measured to "
                      "predicted busbw scales that level's figures (host links, or the level's "
                      "uplinks)");
  command->add_flag("--keep-calibration", o.keepCalibration,
                    "with --calibrate: keep the calibration beside the cluster document "
                    "(CLUSTER.calibration.json), where place, export and replay apply it until "
                    "the cluster is probed again");
  addClusterOptions(command, o.load);
  return command;
}

Result<int> runTopo(const TopoOptions& o, const std::vector<std::string>& argv) {
  if (!o.out.empty()) TOPOPLAN_TRY(checkOutputPath(o.out, "--out"));
  auto cluster = loadCluster(o.cluster, o.load);
  if (!cluster) return cluster.error();
  std::string content;
  if (o.format == "json") {
    content =
        topologyDocument(*cluster->topology, cluster->findings, argv, cluster->cost.get()).dump(2) +
        "\n";
  } else if (o.format == "dot") {
    content = topologyDot(*cluster->topology, cluster->findings);
  } else {
    content = topologyText(*cluster->topology, cluster->findings, cluster->cost.get());
  }
  TOPOPLAN_TRY(emit(o.out, content));
  return 0;
}

namespace {

// --candidate NAME=HOSTLIST: the gang's host count, hosts of the cluster, each once; a name no
// baseline has.
Result<Placement> namedCandidate(const std::string& text, const PlanInput& input,
                                 const CostModel& cost) {
  const std::string where = "--candidate '" + text + "'";
  const std::size_t equals = text.find('=');
  const std::string name = text.substr(0, equals);
  if (equals == std::string::npos || name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
          std::string::npos)
    return Error(where + ": expected NAME=HOSTLIST, NAME of letters, digits, '.', '_' and '-'");
  for (std::string_view baseline : kBaselineNames)
    if (name == baseline || name == "gang" || name.rfind("alternative-", 0) == 0)
      return Error(where + ": '" + name + "' names a candidate place makes itself");
  auto names = expandHostlist(text.substr(equals + 1), 1'000'000);
  if (!names) return names.error().context(where);
  const Topology& topology = *input.topology;
  std::vector<int> hosts;
  for (const std::string& host : *names) {
    const int index = topology.hostIndex(host);
    if (index < 0) return Error(where + ": '" + host + "' is not a host of the cluster");
    if (std::find(hosts.begin(), hosts.end(), index) != hosts.end())
      return Error(where + ": '" + host + "' is named twice");
    hosts.push_back(index);
  }
  if (static_cast<int>(hosts.size()) != input.request.hosts)
    return Error(where + ": " + std::to_string(hosts.size()) + " hosts, expected the gang's " +
                 std::to_string(input.request.hosts));
  return predictedPlacement(topology, cost, input.request, name, std::move(hosts));
}

}  // namespace

Result<int> runPlace(const PlaceOptions& o, const std::vector<std::string>& argv) {
  if (!o.json.empty()) TOPOPLAN_TRY(checkOutputPath(o.json, "--json"));
  auto request = parseGang(o.gang);
  if (!request) return request.error();
  auto pattern = parsePattern(o.pattern);
  if (!pattern) return pattern.error();
  auto bytes = parseSize(o.bytes, "--bytes");
  if (!bytes) return bytes.error();
  if (*bytes == 0) return Error("--bytes: expected a size above 0");
  if (o.keepCalibration && o.calibrate.empty())
    return Error("--keep-calibration: expected --calibrate VERIFY.json");
  ClusterOptions load = o.load;
  load.keptCalibration = o.calibrate.empty();  // --calibrate replaces a kept one
  auto cluster = loadCluster(o.cluster, load);
  if (!cluster) return cluster.error();
  const Topology& topology = *cluster->topology;
  auto require = levelIndex(topology, o.requireLevel, "--require-level");
  if (!require) return require.error();
  auto prefer = levelIndex(topology, o.preferLevel, "--prefer-level");
  if (!prefer) return prefer.error();
  FreeInput free;
  if (!o.free.empty()) {
    auto state = readFreeState(o.free, topology);
    if (!state) return state.error();
    free = std::move(*state);
  }
  auto nodes = nodeInventories(*cluster, o.nodeInventory);
  if (!nodes) return nodes.error();
  nodes->busyGpus = std::move(free.busyGpus);
  nodes->busyBusIds = std::move(free.busyGpuBusIds);
  std::vector<std::string> calibrated;
  if (!o.calibrate.empty()) {
    std::vector<CalibrationSample> samples;
    for (const std::string& file : o.calibrate) {
      auto document = readJsonFile(file);
      if (!document) return document.error();
      auto verified = readVerifyDocument(*document, file);
      if (!verified) return verified.error();
      for (const VerifiedCandidate& c : verified->candidates) {
        samples.push_back({c.name, c.hosts, c.predictedBusbwGbps, c.busbwGbps});
      }
    }
    calibrated = calibrate(topology, *cluster->cost, samples);
    if (o.keepCalibration) {
      if (cluster->measured.empty())
        return Error("--keep-calibration: " + o.cluster + " is no probe document");
      TOPOPLAN_TRY(keepCalibration(o.cluster, o.calibrate, samples));
    }
  }
  PlanInput input{&topology, cluster->cost.get(), free.state, cluster->degradedHosts, *request,
                  o.seed};
  if (!nodes->empty()) input.nodes = &*nodes;
  input.request.pattern = *pattern;
  input.request.bytes = *bytes;
  input.request.requireLevel = *require;
  input.request.preferLevel = *prefer;
  input.request.avoidDegraded = !o.allowDegraded;
  input.request.top = o.top;
  auto result = planGang(input);
  if (!result) return result.error();
  for (const std::string& candidate : o.candidates) {
    auto placement = namedCandidate(candidate, input, *cluster->cost);
    if (!placement) return placement.error();
    result->baselines.push_back(std::move(*placement));
  }
  for (const std::string& line : calibrated) std::printf("# calibrated: %s\n", line.c_str());
  if (o.keepCalibration)
    std::printf(
        "# calibration kept in %s: place, export and replay apply it to %s until it is "
        "probed again\n",
        keptCalibrationPath(o.cluster).c_str(), o.cluster.c_str());
  std::fputs(calibrationNote(*cluster).c_str(), stdout);
  std::fputs(planText(input, *result, o.cluster).c_str(), stdout);
  if (!o.json.empty()) {
    nlohmann::ordered_json document = planDocument(input, *result, o.cluster, argv);
    if (!calibrated.empty())
      document["calibration"] = {{"files", o.calibrate}, {"figures", calibrated}};
    else if (!cluster->calibrationFigures.empty())
      document["calibration"] = {{"files", cluster->calibration->verify},
                                 {"figures", cluster->calibrationFigures},
                                 {"kept", cluster->calibration->file},
                                 {"kept_utc", cluster->calibration->createdUtc}};
    TOPOPLAN_TRY(writeFileAtomic(o.json, document.dump(2) + "\n"));
    std::printf("plan written to %s\n", o.json.c_str());
  }
  return result->gang ? 0 : 1;
}

}  // namespace topoplan
