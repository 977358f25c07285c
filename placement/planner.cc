#include "placement/planner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "placement/baselines.h"
#include "placement/picker.h"

namespace topoplan {
namespace {

int domainLevel(const Topology& topology, int domain) {
  return domain < 0 ? -1 : topology.domains()[static_cast<std::size_t>(domain)].level;
}

// True when a is the better gang: higher busbw beyond 1%, else tighter domain, else fewer usable
// hosts left in it, else more busbw.
bool better(const Topology& topology, const Placement& a, const Placement& b) {
  const double high = std::max(a.predicted.busbwGbps, b.predicted.busbwGbps);
  if (std::fabs(a.predicted.busbwGbps - b.predicted.busbwGbps) > 0.01 * high) {
    return a.predicted.busbwGbps > b.predicted.busbwGbps;
  }
  const int la = domainLevel(topology, a.domain), lb = domainLevel(topology, b.domain);
  if (la != lb) return la > lb;
  if (a.usableLeftInDomain != b.usableLeftInDomain)
    return a.usableLeftInDomain < b.usableLeftInDomain;
  return a.predicted.busbwGbps > b.predicted.busbwGbps;
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
  const CostModel& cost = *input.cost;
  const GangRequest& request = input.request;
  const std::size_t hostCount = topology.hosts().size();
  for (int level : {request.requireLevel, request.preferLevel}) {
    if (level >= topology.levelCount()) {
      return Error("level " + std::to_string(level) + " is beyond the topology's " +
                   std::to_string(topology.levelCount()) + " levels");
    }
  }

  // Which hosts can take part: enough free GPUs (whole hosts without xG); degraded avoided.
  std::vector<int> free(hostCount);
  std::vector<char> fits(hostCount, 0), eligible(hostCount, 0);
  int fitting = 0, avoided = 0;
  for (std::size_t h = 0; h < hostCount; ++h) {
    free[h] = input.free.freeGpus(topology, static_cast<int>(h));
    const int gpus = topology.hosts()[h].gpus;
    fits[h] = input.free.available(static_cast<int>(h)) &&
              (request.gpusPerHost > 0 ? free[h] >= request.gpusPerHost : free[h] == gpus);
    fitting += fits[h];
    const bool degraded = input.degradedHosts.count(static_cast<int>(h)) > 0;
    eligible[h] = fits[h] && !(request.avoidDegraded && degraded);
    avoided += fits[h] && !eligible[h];
  }
  PlanResult result;
  result.eligibleHosts = static_cast<int>(std::count(eligible.begin(), eligible.end(), 1));
  const std::string need =
      std::to_string(request.hosts) + " hosts" +
      (request.gpusPerHost > 0 ? " with " + std::to_string(request.gpusPerHost) + " free GPUs each"
                               : " entirely free");

  // Per host, the lowest uplink from each level down: suffix[h][l] = min over levels >= l.
  const int levels = topology.levelCount();
  std::vector<std::vector<double>> suffix(
      hostCount, std::vector<double>(static_cast<std::size_t>(levels) + 1, 1e300));
  for (std::size_t h = 0; h < hostCount; ++h) {
    for (int l = levels - 1; l >= 0; --l) {
      suffix[h][static_cast<std::size_t>(l)] =
          std::min(suffix[h][static_cast<std::size_t>(l) + 1],
                   cost.uplinkGbps(topology.hosts()[h].domains[static_cast<std::size_t>(l)]).value);
    }
  }
  std::vector<double> thresholds;
  for (std::size_t h = 0; h < hostCount; ++h) {
    if (eligible[h]) thresholds.push_back(cost.hostGbps(static_cast<int>(h)).value);
  }
  for (std::size_t d = 0; d < topology.domains().size(); ++d) {
    thresholds.push_back(cost.uplinkGbps(static_cast<int>(d)).value);
  }
  // Figures within 1% of each other are one threshold (gangs within 1% count as equal), so
  // measured figures, each host's a little different, stay a handful of thresholds.
  std::sort(thresholds.rbegin(), thresholds.rend());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end(),
                               [](double kept, double next) { return next >= 0.99 * kept; }),
                   thresholds.end());

  std::vector<int> roots;
  if (request.requireLevel < 0) roots.push_back(-1);
  for (std::size_t d = 0; d < topology.domains().size(); ++d) {
    if (topology.domains()[d].level >= request.requireLevel) roots.push_back(static_cast<int>(d));
  }

  std::map<std::vector<int>, Placement> candidates;
  std::vector<char> usable(hostCount, 0);
  Picker picker(topology, usable, free);
  for (double t : thresholds) {
    for (int root : roots) {
      const std::size_t below = static_cast<std::size_t>(domainLevel(topology, root) + 1);
      int count = 0;
      for (int host : picker.hostsOf(root)) {
        const auto h = static_cast<std::size_t>(host);
        usable[h] = eligible[h] && cost.hostGbps(host).value >= t && suffix[h][below] >= t;
        count += usable[h];
      }
      if (count < request.hosts) {
        for (int host : picker.hostsOf(root)) usable[static_cast<std::size_t>(host)] = 0;
        continue;
      }
      std::vector<int> chosen;
      picker.pick(root, request.hosts, chosen);
      std::vector<int> key = chosen;
      std::sort(key.begin(), key.end());
      if (!candidates.count(key)) {
        Placement placement{"topoplan",
                            cost.ringOrder(chosen),
                            commonDomain(topology, chosen),
                            cost.predict(chosen, request.pattern, request.bytes),
                            0,
                            0};
        for (int host : picker.hostsOf(placement.domain)) {
          placement.usableLeftInDomain += eligible[static_cast<std::size_t>(host)];
          placement.freeGpusLeftInDomain += free[static_cast<std::size_t>(host)];
        }
        placement.usableLeftInDomain -= request.hosts;
        for (int host : chosen) {
          placement.freeGpusLeftInDomain -=
              request.gpusPerHost > 0 ? request.gpusPerHost : free[static_cast<std::size_t>(host)];
        }
        candidates.emplace(key, std::move(placement));
      }
      for (int host : picker.hostsOf(root)) usable[static_cast<std::size_t>(host)] = 0;
    }
  }

  std::vector<Placement> ranked;
  for (auto& [key, placement] : candidates) ranked.push_back(std::move(placement));
  if (request.preferLevel >= 0 &&
      std::any_of(ranked.begin(), ranked.end(), [&](const Placement& p) {
        return domainLevel(topology, p.domain) >= request.preferLevel;
      })) {
    std::erase_if(ranked, [&](const Placement& p) {
      return domainLevel(topology, p.domain) < request.preferLevel;
    });
  }
  std::sort(ranked.begin(), ranked.end(),
            [&](const Placement& a, const Placement& b) { return better(topology, a, b); });
  if (!ranked.empty()) {
    result.gang = ranked.front();
    for (std::size_t i = 1; i < ranked.size() && static_cast<int>(i) <= request.top; ++i) {
      result.alternatives.push_back(ranked[i]);
    }
  } else if (result.eligibleHosts < request.hosts) {
    result.whyNone =
        "not enough free capacity: the gang needs " + need + "; " + std::to_string(fitting) +
        " of " + std::to_string(hostCount) + " hosts qualify" +
        (avoided > 0 ? ", " + std::to_string(avoided) + " of them degraded and avoided" : "");
  } else {
    int largest = 0;
    std::string where = "none";
    for (int domain : topology.domainsAt(request.requireLevel)) {
      int n = 0;
      for (int host : topology.domains()[static_cast<std::size_t>(domain)].hosts)
        n += eligible[static_cast<std::size_t>(host)];
      if (n > largest) {
        largest = n;
        where = topology.domains()[static_cast<std::size_t>(domain)].name;
      }
    }
    result.whyNone = "no " + topology.levelNames()[static_cast<std::size_t>(request.requireLevel)] +
                     " holds " + need + ": the most any holds is " + std::to_string(largest) +
                     " (" + where + ")";
  }
  result.baselines = baselinePlacements(topology, cost, fits, free, request, input.randomSeed);
  result.planningMs =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace topoplan
