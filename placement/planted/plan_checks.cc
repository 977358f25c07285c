#include "placement/planted/plan_checks.h"

#include <algorithm>
#include <cmath>

namespace topoplan {
namespace {

struct Checker {
  const PlanInput& input;
  const Topology& topology = *input.topology;
  const GangRequest& request = input.request;
  std::vector<std::string> violations = {};

  bool fits(int host) const {
    const int f = input.free.freeGpus(topology, host);
    return input.free.available(host) &&
           (request.gpusPerHost > 0 ? f >= request.gpusPerHost
                                    : f == topology.hosts()[static_cast<std::size_t>(host)].gpus);
  }
  bool eligible(int host) const {
    return fits(host) && !(request.avoidDegraded && input.degradedHosts.count(host));
  }
  void fail(const std::string& what, const std::string& placement) {
    violations.push_back(placement + ": " + what);
  }

  // The most eligible hosts one domain of `level` holds (the whole cluster for -1).
  int mostEligibleAt(int level) const {
    std::vector<std::vector<int>> sets;
    if (level < 0) {
      sets.emplace_back();
      for (std::size_t h = 0; h < topology.hosts().size(); ++h)
        sets.back().push_back(static_cast<int>(h));
    } else {
      for (int d : topology.domainsAt(level))
        sets.push_back(topology.domains()[static_cast<std::size_t>(d)].hosts);
    }
    int most = 0;
    for (const auto& hosts : sets)
      most = std::max(most, static_cast<int>(std::count_if(hosts.begin(), hosts.end(),
                                                           [&](int h) { return eligible(h); })));
    return most;
  }

  int levelOf(int domain) const {
    return domain < 0 ? -1 : topology.domains()[static_cast<std::size_t>(domain)].level;
  }

  void real(const Placement& p, const std::string& name) {
    if (static_cast<int>(p.hosts.size()) != request.hosts)
      fail(std::to_string(p.hosts.size()) + " hosts, " + std::to_string(request.hosts) + " asked",
           name);
    std::set<int> seen;
    for (int host : p.hosts) {
      if (host < 0 || host >= static_cast<int>(topology.hosts().size())) {
        fail("host " + std::to_string(host) + " does not exist", name);
        return;
      }
      if (!seen.insert(host).second) fail("host " + std::to_string(host) + " twice", name);
      if (!fits(host)) fail("host " + std::to_string(host) + " lacks the free GPUs", name);
    }
    if (p.domain != commonDomain(topology, p.hosts)) fail("not its hosts' smallest domain", name);
    for (double figure : {p.predicted.timeUs, p.predicted.busbwGbps}) {
      if (!std::isfinite(figure) || figure < 0) fail("a prediction not finite", name);
    }
  }

  void ours(const Placement& p, const std::string& name) {
    real(p, name);
    for (int host : p.hosts) {
      if (host >= 0 && host < static_cast<int>(topology.hosts().size()) && !eligible(host))
        fail("host " + std::to_string(host) + " not eligible (degraded)", name);
    }
    if (levelOf(p.domain) < request.requireLevel) fail("outside the required level", name);
  }
};

}  // namespace

std::vector<std::string> planViolations(const PlanInput& input, const PlanResult& result) {
  Checker c{input};
  const GangRequest& request = input.request;
  int eligible = 0, qualifying = 0;
  for (std::size_t h = 0; h < c.topology.hosts().size(); ++h) {
    eligible += c.eligible(static_cast<int>(h));
    qualifying += c.fits(static_cast<int>(h));
  }
  if (result.eligibleHosts != eligible)
    c.fail(std::to_string(result.eligibleHosts) + " eligible hosts said, " +
               std::to_string(eligible) + " are",
           "plan");
  const bool oneCanHold = c.mostEligibleAt(request.requireLevel) >= request.hosts;
  if (result.gang.has_value() != oneCanHold)
    c.fail(oneCanHold ? "no gang, though a domain holds enough eligible hosts"
                      : "a gang, though no domain holds enough eligible hosts",
           "plan");
  if (!result.gang) {
    if (result.whyNone.find_first_of("0123456789") == std::string::npos)
      c.fail("no figure in the reason: '" + result.whyNone + "'", "plan");
    if (!result.alternatives.empty()) c.fail("alternatives without a gang", "plan");
  } else {
    c.ours(*result.gang, "gang");
    if (request.preferLevel >= 0 && c.mostEligibleAt(request.preferLevel) >= request.hosts &&
        c.levelOf(result.gang->domain) < request.preferLevel)
      c.fail("outside the preferred level, though a domain of it holds enough", "gang");
    if (static_cast<int>(result.alternatives.size()) > request.top)
      c.fail("more alternatives than asked", "plan");
    for (const Placement& p : result.alternatives) {
      c.ours(p, "alternative");
      if (p.hosts == result.gang->hosts) c.fail("the gang again", "alternative");
    }
  }
  for (const Placement& p : result.baselines) c.real(p, p.strategy);
  if (input.withBaselines && qualifying >= request.hosts && result.baselines.size() != 4)
    c.fail(std::to_string(result.baselines.size()) + " baselines, 4 expected", "plan");
  return c.violations;
}

}  // namespace topoplan
