// Fuzz target: the planner and a short replay on clusters the input describes. The bytes choose a
// planted cluster (levels, domains per parent, hosts, faults, measured or declared, GPU counts),
// a free state, a gang request and a trace. Any rule of placement/plan_checks.h broken aborts, as
// does a crash in the planner or the replay, or a rule of placement/planted/replay_checks.h.
#include <fuzzer/FuzzedDataProvider.h>

#include <map>
#include <set>

#include "core/check.h"
#include "placement/planted/plan_checks.h"
#include "placement/planted/planted_cluster.h"
#include "placement/planted/replay_checks.h"
#include "placement/whatif/replay.h"
#include "placement/whatif/trace_generator.h"

namespace {

using namespace topoplan;

constexpr int kMaxHosts = 96;

PlantedClusterSpec clusterSpec(FuzzedDataProvider& in) {
  PlantedClusterSpec spec;
  FabricSpec& f = spec.fabric;
  const int levels = in.ConsumeIntegralInRange(0, 3);
  int domains = 1;
  for (int l = 0; l < levels; ++l) {
    GeneratedLevel level;
    level.name = "l" + std::to_string(l);
    level.count = in.ConsumeIntegralInRange(1, 4);
    level.oversubscription = in.PickValueInArray({1.0, 2.0, 4.0});
    level.hopLatencyUs = in.PickValueInArray({0.0, 0.5, 5.0});
    domains *= level.count;
    f.levels.push_back(level);
  }
  f.hostsPerDomain = in.ConsumeIntegralInRange(1, std::max(2, kMaxHosts / domains));
  if (domains * f.hostsPerDomain < 2) f.hostsPerDomain = 2;
  f.gpusPerHost = in.PickValueInArray({1, 4, 8});
  f.noise = in.PickValueInArray({0.0, 0.05, 0.3});
  f.latencyNoise = in.PickValueInArray({0.0, 0.05, 0.5});
  f.degradedHosts = in.ConsumeIntegralInRange(0, 3);
  f.degradedFactor = in.PickValueInArray({0.02, 0.1, 0.45});
  f.degradedUplinks = in.ConsumeIntegralInRange(0, 2);
  f.misCabledHosts = in.ConsumeIntegralInRange(0, 2);
  f.contention = in.PickValueInArray({0.0, 0.3});
  f.shuffleNames = in.ConsumeBool();
  f.seed = in.ConsumeIntegral<unsigned>();
  spec.measured = in.ConsumeBool();
  const int counts = in.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < counts; ++i) spec.gpusPerHost.push_back(in.PickValueInArray({1, 2, 4, 8}));
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  auto cluster = plantCluster(clusterSpec(in));
  if (!cluster) return 0;
  const Topology& topology = *cluster->topology;
  std::map<std::string, int> free;
  std::set<std::string> unavailable;
  for (const Host& host : topology.hosts()) {
    free[host.name] = in.ConsumeIntegralInRange(0, host.gpus);
    if (in.ConsumeIntegralInRange(0, 7) == 0) unavailable.insert(host.name);
  }
  auto state = FreeState::fromMap(topology, free, "fuzz", unavailable);
  TOPOPLAN_CHECK(state.ok(), "a generated free state was refused");
  const int hosts = static_cast<int>(topology.hosts().size());
  GangRequest request;
  request.hosts = in.ConsumeIntegralInRange(1, hosts + 1);
  request.gpusPerHost = in.ConsumeIntegralInRange(0, 9);
  request.pattern = in.PickValueInArray({Pattern::kRing, Pattern::kTree, Pattern::kAllToAll});
  request.bytes = in.ConsumeIntegralInRange<std::uint64_t>(0, 1ULL << 34);
  request.requireLevel = in.ConsumeIntegralInRange(-1, topology.levelCount() - 1);
  request.preferLevel = in.ConsumeIntegralInRange(-1, topology.levelCount() - 1);
  request.avoidDegraded = in.ConsumeBool();
  request.top = in.ConsumeIntegralInRange(0, 3);
  PlanInput input{&topology, cluster->cost.get(), *state, cluster->degradedHosts, request};
  auto result = planGang(input);
  TOPOPLAN_CHECK(result.ok(), "planGang refused a request within the topology's levels");
  std::string violations;
  for (const std::string& v : planViolations(input, *result)) violations += v + "; ";
  TOPOPLAN_CHECK(violations.empty(), violations);

  TraceSpec trace;
  trace.jobs = in.ConsumeIntegralInRange(1, 40);
  trace.clusterGpus = static_cast<int>(topology.gpuCount());
  trace.gpusPerNode = in.PickValueInArray({1, 2, 4, 8});
  trace.maxNodes = in.PickValueInArray({2, 8, 64});
  trace.load = in.PickValueInArray({0.5, 1.5});
  trace.seed = in.ConsumeIntegral<unsigned>();
  const auto jobs = syntheticTrace(trace);
  ReplayOptions options;
  options.policy = std::string(
      kReplayPolicies[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kReplayPolicies) - 1)]);
  options.backfill = in.ConsumeBool();
  auto run = replay(topology, *cluster->cost, cluster->degradedHosts, jobs, options);
  TOPOPLAN_CHECK(run.ok(), "replay refused a generated trace");
  violations.clear();
  for (const std::string& v : replayViolations(topology, jobs, *run, !options.backfill))
    violations += v + "; ";
  TOPOPLAN_CHECK(violations.empty(), violations);
  return 0;
}
