#include "placement/planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>

#include "placement/baselines.h"
#include "placement/picker.h"

namespace topoplan {
namespace {

int domainLevel(const Topology& topology, int domain) {
  return domain < 0 ? -1 : topology.domains()[static_cast<std::size_t>(domain)].level;
}

// True when a is the better gang: higher busbw beyond 1%, else tighter domain, else fewer usable
// hosts left in it, else fewer free GPUs left in it (packing), else more busbw.
bool better(const Topology& topology, const Placement& a, const Placement& b) {
  const double high = std::max(a.predicted.busbwGbps, b.predicted.busbwGbps);
  if (std::fabs(a.predicted.busbwGbps - b.predicted.busbwGbps) > 0.01 * high) {
    return a.predicted.busbwGbps > b.predicted.busbwGbps;
  }
  const int la = domainLevel(topology, a.domain), lb = domainLevel(topology, b.domain);
  if (la != lb) return la > lb;
  if (a.usableLeftInDomain != b.usableLeftInDomain)
    return a.usableLeftInDomain < b.usableLeftInDomain;
  if (a.freeGpusLeftInDomain != b.freeGpusLeftInDomain)
    return a.freeGpusLeftInDomain < b.freeGpusLeftInDomain;
  return a.predicted.busbwGbps > b.predicted.busbwGbps;
}

// Which hosts can take part: enough free GPUs (whole hosts without xG), not unavailable;
// degraded ones avoided when asked.
struct Eligibility {
  std::vector<int> free;
  std::vector<char> fits, eligible;
  int fitting = 0, avoided = 0;
};

Eligibility eligibility(const PlanInput& input) {
  const Topology& topology = *input.topology;
  const GangRequest& request = input.request;
  const std::size_t hostCount = topology.hosts().size();
  Eligibility e{std::vector<int>(hostCount), std::vector<char>(hostCount, 0),
                std::vector<char>(hostCount, 0)};
  for (std::size_t h = 0; h < hostCount; ++h) {
    e.free[h] = input.free.freeGpus(topology, static_cast<int>(h));
    const int gpus = topology.hosts()[h].gpus;
    e.fits[h] = input.free.available(static_cast<int>(h)) &&
                (request.gpusPerHost > 0 ? e.free[h] >= request.gpusPerHost : e.free[h] == gpus);
    e.fitting += e.fits[h];
    const bool degraded = input.degradedHosts.count(static_cast<int>(h)) > 0;
    e.eligible[h] = e.fits[h] && !(request.avoidDegraded && degraded);
    e.avoided += e.fits[h] && !e.eligible[h];
  }
  return e;
}

// Per host, the lowest uplink from each level down (min over levels >= l), in one block: host h's
// figures from (levels + 1) x h.
class WeakestUplinks {
 public:
  WeakestUplinks(const Topology& topology, const CostModel& cost)
      : stride_(static_cast<std::size_t>(topology.levelCount()) + 1),
        figures_(topology.hosts().size() * stride_, 1e300) {
    for (std::size_t h = 0; h < topology.hosts().size(); ++h) {
      double* from = &figures_[h * stride_];
      for (std::size_t l = stride_ - 1; l-- > 0;)
        from[l] = std::min(from[l + 1], cost.uplinkGbps(topology.hosts()[h].domains[l]).value);
    }
  }
  double from(std::size_t host, std::size_t level) const {
    return figures_[host * stride_ + level];
  }

 private:
  std::size_t stride_;
  std::vector<double> figures_;
};

// The bandwidths a gang can be held to: every eligible host's link and every uplink, highest
// first. Figures within 1% of the highest of their group are one threshold, the group's lowest
// (gangs within 1% count as equal), so measured figures, each host's a little different, stay a
// handful of thresholds and no figure is left above every threshold it belongs to. The last
// threshold admits every eligible host: the domain itself is always a candidate.
std::vector<double> bandwidthThresholds(const Topology& topology, const CostModel& cost,
                                        const std::vector<char>& eligible) {
  std::vector<double> figures;
  for (std::size_t h = 0; h < eligible.size(); ++h) {
    if (eligible[h]) figures.push_back(cost.hostGbps(static_cast<int>(h)).value);
  }
  for (std::size_t d = 0; d < topology.domains().size(); ++d) {
    figures.push_back(cost.uplinkGbps(static_cast<int>(d)).value);
  }
  std::sort(figures.rbegin(), figures.rend());
  std::vector<double> thresholds;
  for (std::size_t i = 0; i < figures.size();) {
    std::size_t j = i;
    while (j + 1 < figures.size() && figures[j + 1] >= 0.99 * figures[i]) ++j;
    thresholds.push_back(figures[j]);
    i = j + 1;
  }
  thresholds.push_back(-std::numeric_limits<double>::infinity());
  return thresholds;
}

// The domains a gang may be kept inside (-1: the whole cluster, when no level is required).
std::vector<int> candidateRoots(const Topology& topology, const GangRequest& request) {
  std::vector<int> roots;
  if (request.requireLevel < 0) roots.push_back(-1);
  for (std::size_t d = 0; d < topology.domains().size(); ++d) {
    if (topology.domains()[d].level >= request.requireLevel) roots.push_back(static_cast<int>(d));
  }
  return roots;
}

// A chosen host set as a placement: ring order, domain, prediction and what it leaves there.
Placement placementOf(const Topology& topology, const CostModel& cost, const Picker& picker,
                      const GangRequest& request, const Eligibility& e,
                      const std::vector<int>& chosen) {
  Placement placement{"topoplan",
                      cost.ringOrder(chosen),
                      commonDomain(topology, chosen),
                      cost.predict(chosen, request.pattern, request.bytes),
                      0,
                      0};
  for (int host : picker.hostsOf(placement.domain)) {
    placement.usableLeftInDomain += e.eligible[static_cast<std::size_t>(host)];
    placement.freeGpusLeftInDomain += e.free[static_cast<std::size_t>(host)];
  }
  placement.usableLeftInDomain -= request.hosts;
  for (int host : chosen) {
    placement.freeGpusLeftInDomain -=
        request.gpusPerHost > 0 ? request.gpusPerHost : e.free[static_cast<std::size_t>(host)];
  }
  return placement;
}

// For each threshold and domain, the gang the picker forms from the hosts that meet the
// threshold there (each distinct host set once).
std::vector<Placement> candidateGangs(const PlanInput& input, const Eligibility& e) {
  const Topology& topology = *input.topology;
  const CostModel& cost = *input.cost;
  const GangRequest& request = input.request;
  const WeakestUplinks weakest(topology, cost);
  std::map<std::vector<int>, Placement> candidates;
  std::vector<char> usable(topology.hosts().size(), 0);
  Picker picker(topology, usable, e.free);
  for (double t : bandwidthThresholds(topology, cost, e.eligible)) {
    for (int root : candidateRoots(topology, request)) {
      const std::size_t below = static_cast<std::size_t>(domainLevel(topology, root) + 1);
      int count = 0;
      for (int host : picker.hostsOf(root)) {
        const auto h = static_cast<std::size_t>(host);
        usable[h] = e.eligible[h] && cost.hostGbps(host).value >= t && weakest.from(h, below) >= t;
        count += usable[h];
      }
      if (count >= request.hosts) {
        std::vector<int> chosen;
        picker.pick(root, request.hosts, chosen);
        std::vector<int> key = chosen;
        std::sort(key.begin(), key.end());
        if (!candidates.count(key))
          candidates.emplace(key, placementOf(topology, cost, picker, request, e, chosen));
      }
      for (int host : picker.hostsOf(root)) usable[static_cast<std::size_t>(host)] = 0;
    }
  }
  std::vector<Placement> gangs;
  for (auto& [key, placement] : candidates) gangs.push_back(std::move(placement));
  return gangs;
}

// Best first (better()), inside --prefer-level's domains when any gang fits one.
void rank(const Topology& topology, const GangRequest& request, std::vector<Placement>& gangs) {
  if (request.preferLevel >= 0 && std::any_of(gangs.begin(), gangs.end(), [&](const Placement& p) {
        return domainLevel(topology, p.domain) >= request.preferLevel;
      })) {
    std::erase_if(gangs, [&](const Placement& p) {
      return domainLevel(topology, p.domain) < request.preferLevel;
    });
  }
  // Stable: equal gangs stay in host order, so ties go to the first hosts (as first-fit).
  std::stable_sort(gangs.begin(), gangs.end(),
                   [&](const Placement& a, const Placement& b) { return better(topology, a, b); });
}

// Why no gang was found, in words.
std::string whyNoGang(const Topology& topology, const GangRequest& request, const Eligibility& e,
                      int eligibleHosts) {
  const std::string need =
      std::to_string(request.hosts) + " hosts" +
      (request.gpusPerHost > 0 ? " with " + std::to_string(request.gpusPerHost) + " free GPUs each"
                               : " entirely free");
  if (eligibleHosts < request.hosts) {
    return "not enough free capacity: the gang needs " + need + "; " + std::to_string(e.fitting) +
           " of " + std::to_string(topology.hosts().size()) + " hosts qualify" +
           (e.avoided > 0 ? ", " + std::to_string(e.avoided) + " of them degraded and avoided"
                          : "");
  }
  if (request.requireLevel < 0) {  // the whole cluster is a candidate: not reached
    return "no gang of " + need + " among the " + std::to_string(eligibleHosts) + " eligible hosts";
  }
  int largest = 0;
  std::string where = "none";
  for (int domain : topology.domainsAt(request.requireLevel)) {
    int n = 0;
    for (int host : topology.domains()[static_cast<std::size_t>(domain)].hosts)
      n += e.eligible[static_cast<std::size_t>(host)];
    if (n > largest) {
      largest = n;
      where = topology.domains()[static_cast<std::size_t>(domain)].name;
    }
  }
  return "no " + topology.levelNames()[static_cast<std::size_t>(request.requireLevel)] + " holds " +
         need + ": the most any holds is " + std::to_string(largest) + " (" + where + ")";
}

}  // namespace

int commonDomain(const Topology& topology, const std::vector<int>& hosts) {
  if (hosts.empty()) return -1;
  int shared = topology.levelCount();
  for (int host : hosts) shared = std::min(shared, topology.sharedLevels(hosts.front(), host));
  return shared == 0 ? -1
                     : topology.hosts()[static_cast<std::size_t>(hosts.front())]
                           .domains[static_cast<std::size_t>(shared - 1)];
}

Result<PlanResult> planGang(const PlanInput& input) {
  const auto start = std::chrono::steady_clock::now();
  const Topology& topology = *input.topology;
  const GangRequest& request = input.request;
  for (int level : {request.requireLevel, request.preferLevel}) {
    if (level >= topology.levelCount()) {
      return Error("level " + std::to_string(level) + " is beyond the topology's " +
                   std::to_string(topology.levelCount()) + " levels");
    }
  }
  const Eligibility e = eligibility(input);
  PlanResult result;
  result.eligibleHosts = static_cast<int>(std::count(e.eligible.begin(), e.eligible.end(), 1));
  std::vector<Placement> gangs = candidateGangs(input, e);
  rank(topology, request, gangs);
  if (!gangs.empty()) {
    result.gang = gangs.front();
    if (input.nodes) {
      GpuChoiceMemo memo;
      for (int host : result.gang->hosts) {
        result.gangGpus.push_back(chooseHostGpus(
            topology.hosts()[static_cast<std::size_t>(host)].name, *input.nodes,
            input.free.freeGpus(topology, host),
            topology.hosts()[static_cast<std::size_t>(host)].gpus, request.gpusPerHost, memo));
      }
    }
    for (std::size_t i = 1; i < gangs.size() && static_cast<int>(i) <= request.top; ++i) {
      result.alternatives.push_back(gangs[i]);
    }
  } else {
    result.whyNone = whyNoGang(topology, request, e, result.eligibleHosts);
  }
  if (input.withBaselines)
    result.baselines =
        baselinePlacements(topology, *input.cost, e.fits, e.free, request, input.randomSeed);
  result.planningMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace topoplan
