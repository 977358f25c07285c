#include "placement/whatif/replay.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <random>
#include <tuple>
#include <unordered_map>

#include "core/stats.h"
#include "placement/baselines.h"
#include "placement/planner.h"

namespace topoplan {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();
// How many later free states a job weighs before it takes the gang free now.
constexpr int kMostLaterLooks = 16;

// How many hosts have each count of free GPUs.
class FreeCounts {
 public:
  void add(int free, int hosts = 1) {
    const auto f = static_cast<std::size_t>(free);
    if (f >= hosts_.size()) hosts_.resize(f + 1, 0);
    hosts_[f] += hosts;
  }
  // Hosts with at least `gpus` free.
  int fitting(int gpus) const {
    int n = 0;
    for (std::size_t f = static_cast<std::size_t>(std::max(gpus, 0)); f < hosts_.size(); ++f)
      n += hosts_[f];
    return n;
  }
  // Free GPUs on hosts with fewer than `gpus` free.
  long long stranded(int gpus) const {
    long long n = 0;
    for (std::size_t f = 0; f < hosts_.size() && static_cast<int>(f) < gpus; ++f)
      n += static_cast<long long>(hosts_[f]) * static_cast<long long>(f);
    return n;
  }

 private:
  std::vector<int> hosts_;
};

// The free GPUs of every host, with the counts the scheduler asks for kept up to date: hosts per
// free-GPU count, busy GPUs, and leaf domains partly used.
class ClusterState {
 public:
  explicit ClusterState(const Topology& topology) : free_(topology.hosts().size()) {
    const int finest = topology.levelCount() - 1;
    if (finest >= 0) {
      const auto leaves = topology.domainsAt(finest);
      leafBusy_.assign(topology.domains().size(), 0);
      leafGpus_.assign(topology.domains().size(), 0);
      leafCount_ = static_cast<int>(leaves.size());
    }
    leafOf_.assign(free_.size(), -1);
    for (std::size_t h = 0; h < free_.size(); ++h) {
      const Host& host = topology.hosts()[h];
      free_[h] = host.gpus;
      totalGpus_ += host.gpus;
      counts_.add(host.gpus);
      if (finest >= 0) {
        leafOf_[h] = host.domains[static_cast<std::size_t>(finest)];
        leafGpus_[static_cast<std::size_t>(leafOf_[h])] += host.gpus;
      }
    }
  }

  const std::vector<int>& free() const { return free_; }
  long long totalGpus() const { return totalGpus_; }
  long long busyGpus() const { return busyGpus_; }
  int leafCount() const { return leafCount_; }
  int partialLeaves() const { return partialLeaves_; }

  int fitting(int gpus) const { return counts_.fitting(gpus); }
  long long stranded(int gpus) const { return counts_.stranded(gpus); }

  // A failed host's GPUs leave the free state (its jobs gone, none of them busy) until it is
  // back with all of them.
  void setDown(int host, bool down, int gpus) {
    const auto h = static_cast<std::size_t>(host);
    counts_.add(free_[h], -1);
    free_[h] = down ? 0 : gpus;
    counts_.add(free_[h]);
  }

  // Takes (delta < 0) or gives back (delta > 0) GPUs on a host.
  void change(int host, int delta) {
    const auto h = static_cast<std::size_t>(host);
    counts_.add(free_[h], -1);
    free_[h] += delta;
    counts_.add(free_[h]);
    busyGpus_ -= delta;
    if (leafOf_[h] < 0) return;
    const auto leaf = static_cast<std::size_t>(leafOf_[h]);
    const bool was = partial(leaf);
    leafBusy_[leaf] -= delta;
    partialLeaves_ += static_cast<int>(partial(leaf)) - static_cast<int>(was);
  }

 private:
  bool partial(std::size_t leaf) const {
    return leafBusy_[leaf] > 0 && leafBusy_[leaf] < leafGpus_[leaf];
  }

  std::vector<int> free_;
  FreeCounts counts_;
  std::vector<int> leafOf_, leafBusy_, leafGpus_;
  long long totalGpus_ = 0, busyGpus_ = 0;
  int leafCount_ = 0, partialLeaves_ = 0;
};

// What the time means and curves are made of.
struct Timeline {
  std::vector<ReplaySample> samples;                        // after every event
  double busyGpuS = 0, strandedGpuS = 0, partialLeafS = 0;  // integrals over time
  long long totalGpus = 0;
  int leafCount = 0;
  double endS = 0;  // the last event's time
};

class Simulation {
 public:
  Simulation(const Topology& topology, const CostModel& cost, const std::set<int>& degraded,
             const std::vector<TraceJob>& jobs, const ReplayOptions& options)
      : topology_(topology),
        cost_(cost),
        degraded_(degraded),
        jobs_(jobs),
        options_(options),
        state_(topology) {
    out_.jobs.resize(jobs.size());
    for (std::size_t j = 0; j < jobs.size(); ++j) {
      out_.jobs[j].job = static_cast<int>(j);
      out_.jobs[j].submitS = jobs[j].submitS;
    }
    timeline_.totalGpus = state_.totalGpus();
    timeline_.leafCount = state_.leafCount();
    for (const Host& host : topology.hosts()) ++hostsWithGpus_[host.gpus];
    const std::size_t hosts = topology.hosts().size();
    jobsOn_.resize(hosts);
    downDepth_.assign(hosts, 0);
    downSince_.assign(hosts, 0);
    for (const HostFailure& f : options.failures) {
      events_.emplace(f.downS, kDown, f.host, false);
      events_.emplace(f.upS, kUp, f.host, false);
    }
    if (options.mtbfS > 0)
      for (std::size_t h = 0; h < hosts; ++h) drawFailure(static_cast<int>(h), 0);
    for (const TraceJob& j : jobs)
      teamOf_.push_back(teams_.try_emplace(j.team, teams_.size()).first->second);
    usage_.assign(teams_.size(), 0);
    teamGpus_.assign(teams_.size(), 0);
    shares_.assign(teams_.size(), 1);
    for (const auto& [team, index] : teams_) {
      auto given = options.teamShares.find(team);
      if (given != options.teamShares.end()) shares_[index] = given->second;
    }
  }

  // The jobs' outcomes (the summary's `unplaceable` set) and the timeline.
  std::pair<ReplayRun, Timeline> run() {
    std::vector<int> order(jobs_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return job(a).submitS < job(b).submitS; });
    std::size_t next = 0;
    long idleEvents = 0;
    while (next < order.size() || !running_.empty() || (!queue_.empty() && !events_.empty())) {
      double t = next < order.size() ? job(order[next]).submitS : kNever;
      if (!running_.empty()) t = std::min(t, running_.begin()->first);
      if (!events_.empty()) t = std::min(t, std::get<0>(*events_.begin()));
      if (t == kNever) break;
      advance(t);
      while (!running_.empty() && running_.begin()->first <= t) finish(running_.begin()->second);
      while (!events_.empty() && std::get<0>(*events_.begin()) <= t) hostEvent(t);
      while (next < order.size() && job(order[next]).submitS <= t) arrive(order[next++]);
      startWhatFits(t);
      sample(t);
      // Every host up, nothing running or to come: what still waits can never start. Hosts
      // failing and coming back with nothing running for 10,000 events: neither, in practice.
      if (running_.empty() && next == order.size() && (downHosts_ == 0 || ++idleEvents > 10'000))
        break;
      if (!running_.empty()) idleEvents = 0;
    }
    out_.summary.unfinished += static_cast<int>(queue_.size());
    timeline_.endS = lastT_;
    return {std::move(out_), std::move(timeline_)};
  }

 private:
  const TraceJob& job(int j) const { return jobs_[static_cast<std::size_t>(j)]; }

  void arrive(int j) {
    const TraceJob& a = job(j);
    int capable = 0;  // hosts that could ever hold one of its workers
    for (const auto& [gpus, hosts] : hostsWithGpus_) capable += gpus >= a.gpusPerNode ? hosts : 0;
    if (capable < a.nodes) {
      ++out_.summary.unplaceable;
      return;
    }
    enqueue(j);
  }

  // The queue's order: priority (higher first), the job's team's fair-share factor (higher
  // first; 1 without fair share), submission, trace order.
  auto queueKey(int j, double factor) const {
    return std::make_tuple(-job(j).priority, -factor, job(j).submitS, j);
  }
  // Into its place by priority and submission (with fair share, startWhatFits sorts again).
  void enqueue(int j) {
    queue_.insert(
        std::upper_bound(queue_.begin(), queue_.end(), j,
                         [this](int a, int b) { return queueKey(a, 1) < queueKey(b, 1); }),
        j);
  }

  void finish(int j) {
    running_.erase(running_.begin());
    ReplayJob& record = out_.jobs[static_cast<std::size_t>(j)];
    record.attempts.back().progressEnd = 1;
    release(j);
  }

  // The share of job j's work its runs so far saved (0 before its first run).
  double savedShare(int j) const {
    const auto& attempts = out_.jobs[static_cast<std::size_t>(j)].attempts;
    return attempts.empty() ? 0 : attempts.back().progressEnd;
  }

  void release(int j) {
    teamGpus_[teamOf_[static_cast<std::size_t>(j)]] -=
        static_cast<double>(job(j).nodes) * job(j).gpusPerNode;
    for (int host : out_.jobs[static_cast<std::size_t>(j)].hosts) {
      state_.change(host, job(j).gpusPerNode);
      jobsOn_[static_cast<std::size_t>(host)].erase(j);
    }
  }

  // Host failures and repairs: drawn ones draw the next (repair after a failure, the next
  // failure after a repair); listed ones do not. A host is down while any failure holds it.
  static constexpr int kDown = 0, kUp = 1;

  void drawFailure(int host, double afterS) {
    const double rate = degraded_.count(host) ? options_.degradedFailureFactor : 1.0;
    std::exponential_distribution<double> wait(rate / options_.mtbfS);
    events_.emplace(afterS + wait(rng_), kDown, host, true);
  }

  void hostEvent(double t) {
    const auto [time, kind, host, drawn] = *events_.begin();
    events_.erase(events_.begin());
    ++hostEvents_;
    const auto h = static_cast<std::size_t>(host);
    if (kind == kDown) {
      const std::set<int> dying = jobsOn_[h];
      for (int j : dying) stop(j, t, /*preempted=*/false);
      if (downDepth_[h]++ == 0) {
        state_.setDown(host, true, 0);
        ++downHosts_;
        downSince_[h] = out_.downtimes.size();
        out_.downtimes.push_back({host, t, kNever});
      }
      ++out_.summary.hostFailures;
      if (drawn) {
        std::exponential_distribution<double> repair(1.0 / options_.mttrS);
        events_.emplace(t + repair(rng_), kUp, host, true);
      }
    } else {
      if (--downDepth_[h] == 0) {
        out_.downtimes[downSince_[h]].upS = t;
        state_.setDown(host, false, topology_.hosts()[h].gpus);
        --downHosts_;
      }
      if (drawn) drawFailure(host, t);
    }
  }

  // A host of job j failed at t, or a job of higher priority preempted it: the job stops whole,
  // keeps the work up to its last checkpoint and waits again in its place in the queue.
  void stop(int j, double t, bool preempted) {
    ReplayJob& record = out_.jobs[static_cast<std::size_t>(j)];
    ReplayAttempt& attempt = record.attempts.back();
    running_.erase({attempt.endS, j});
    const double elapsed = t - attempt.startS;
    const double work = job(j).computeS + attempt.commS;
    const double saved = options_.checkpointS > 0
                             ? std::floor(elapsed / options_.checkpointS) * options_.checkpointS
                             : 0;
    attempt.endS = t;
    attempt.failed = !preempted;
    attempt.preempted = preempted;
    attempt.progressEnd =
        work > 0 ? std::min(1.0, attempt.progressStart + saved / work) : attempt.progressStart;
    record.endS = -1;  // until a run completes it
    ++(preempted ? record.preemptions : record.restarts);
    record.lostGpuS += (elapsed - saved) * job(j).nodes * job(j).gpusPerNode;
    release(j);
    if (!preempted && record.restarts >= options_.maxRestarts) {  // given up: unfinished
      ++out_.summary.unfinished;
      return;
    }
    enqueue(j);
  }

  // The integrals of the time means, up to t.
  void advance(double t) {
    const double dt = t - lastT_;
    if (dt > 0 && options_.fairShare) {  // Slurm's decay, then the usage since
      const double decay = std::pow(1 - 0.693 / options_.fairShareHalfLifeS, dt);
      for (std::size_t i = 0; i < usage_.size(); ++i)
        usage_[i] = usage_[i] * decay + teamGpus_[i] * dt;
    }
    if (dt > 0) {
      timeline_.busyGpuS += static_cast<double>(state_.busyGpus()) * dt;
      timeline_.strandedGpuS += static_cast<double>(strandedNow()) * dt;
      timeline_.partialLeafS += state_.partialLeaves() * dt;
    }
    lastT_ = t;
  }

  long long strandedNow() const {
    return queue_.empty() ? 0 : state_.stranded(job(queue_.front()).gpusPerNode);
  }

  void sample(double t) {
    const double total = static_cast<double>(std::max(1LL, state_.totalGpus()));
    ReplaySample s{t, static_cast<double>(state_.busyGpus()) / total,
                   static_cast<double>(strandedNow()) / total,
                   state_.leafCount() > 0
                       ? static_cast<double>(state_.partialLeaves()) / state_.leafCount()
                       : 0};
    std::vector<ReplaySample>& samples = timeline_.samples;
    if (!samples.empty() && samples.back().timeS == t) {
      samples.back() = s;
    } else {
      samples.push_back(s);
    }
  }

  // The policy's gang for job j on the free state `free` (free GPUs per host), if any.
  std::optional<Placement> place(int j, const std::vector<int>& free) {
    const TraceJob& a = job(j);
    GangRequest request;
    request.hosts = a.nodes;
    request.gpusPerHost = a.gpusPerNode;
    if (a.bytesPerStep > 0) request.bytes = a.bytesPerStep;
    request.top = 0;
    const unsigned seed = options_.seed + static_cast<unsigned>(j);
    if (options_.policy == "topoplan" || options_.policy == "topoplan-greedy") {
      PlanInput input{&topology_, &cost_, FreeState::dense(free), degraded_, request, seed};
      input.withBaselines = false;
      // Degraded hosts only for a gang that the healthy hosts could never hold: otherwise the
      // job waits for healthy ones, as a slow host would slow the whole gang for its whole run.
      for (bool avoid : {true, false}) {
        if (!avoid && (degraded_.empty() || healthyCapable(a.gpusPerNode) >= a.nodes)) break;
        input.request.avoidDegraded = avoid;
        auto result = planGang(input);
        if (result.ok() && result->gang) return std::move(*result->gang);
      }
      return std::nullopt;
    }
    std::vector<char> fits(free.size());
    for (std::size_t h = 0; h < fits.size(); ++h) fits[h] = free[h] >= a.gpusPerNode;
    return baselinePlacement(options_.policy, topology_, cost_, fits, free, request, seed);
  }

  // Healthy hosts with at least `gpus` GPUs, busy or not.
  int healthyCapable(int gpus) const {
    int count = 0;
    for (std::size_t h = 0; h < topology_.hosts().size(); ++h)
      count += topology_.hosts()[h].gpus >= gpus && !degraded_.count(static_cast<int>(h));
    return count;
  }

  double communicationS(const TraceJob& a, const Placement& placement) const {
    if (a.nodes < 2 || a.steps == 0) return 0;
    return static_cast<double>(a.steps) * placement.predicted.timeUs * 1e-6;
  }

  void start(int j, const Placement& placement, double t) {
    const TraceJob& a = job(j);
    ReplayJob& record = out_.jobs[static_cast<std::size_t>(j)];
    const double progress = savedShare(j);
    record.commS = communicationS(a, placement);
    if (record.startS < 0) record.startS = t;
    record.endS = t + (1 - progress) * (a.computeS + record.commS);
    record.attempts.push_back(
        {t, record.endS, placement.hosts, record.commS, progress, progress, false});
    if (a.nodes >= 2) {
      record.busbwGbps = placement.predicted.busbwGbps;
      record.domainLevel =
          placement.domain < 0
              ? -1
              : topology_.domains()[static_cast<std::size_t>(placement.domain)].level;
    }
    teamGpus_[teamOf_[static_cast<std::size_t>(j)]] += static_cast<double>(a.nodes) * a.gpusPerNode;
    for (int host : placement.hosts) {
      state_.change(host, -a.gpusPerNode);
      jobsOn_[static_cast<std::size_t>(host)].insert(j);
    }
    record.hosts = placement.hosts;
    running_.emplace(record.endS, j);
    waiting_.erase(j);
  }

  // Gives running job r's GPUs back in `free` (a copy of the free state, as it would be once r
  // ends); returns how many of its hosts now have `need` free GPUs that had fewer.
  int giveBack(std::vector<int>& free, int r, int need) const {
    int more = 0;
    for (int host : out_.jobs[static_cast<std::size_t>(r)].hosts) {
      int& f = free[static_cast<std::size_t>(host)];
      more += f < need && f + job(r).gpusPerNode >= need;
      f += job(r).gpusPerNode;
    }
    return more;
  }

  // Starts the first waiting job while it fits (or, with preemption, while stopping jobs of
  // lower priority makes it fit); then, with backfill, later ones that do not delay it.
  void startWhatFits(double t) {
    if (options_.fairShare) orderByFairShare();
    std::optional<Awaited> awaited;
    while (!queue_.empty()) {
      const int head = queue_.front();
      std::optional<Placement> placement;
      if (state_.fitting(job(head).gpusPerNode) >= job(head).nodes)
        placement = place(head, state_.free());
      if (placement && (awaited = betterLater(head, *placement, t))) break;
      if (!placement && options_.preempt) placement = preemptFor(head, t);
      if (!placement) break;
      queue_.pop_front();
      start(head, *placement, t);
    }
    if (options_.backfill && queue_.size() > 1) backfill(t, awaited);
  }

  // A better gang than the one free now, and when its hosts will be free.
  struct Awaited {
    double startS = 0;
    std::vector<char> held;  // per host: part of it
  };
  // A job's decision to wait: for what, the gang it declined, the host events seen by then.
  struct Decision {
    Awaited awaited;
    double nowBottleneckGbps = 0;
    long hostEvents = 0;
  };

  // The topoplan policy's look ahead (replay.h): the better gang (a higher bottleneck) that job j
  // should wait for rather than take `now` at t, if any.
  std::optional<Awaited> betterLater(int j, const Placement& now, double t) {
    const TraceJob& a = job(j);
    if (options_.policy != "topoplan" || a.nodes < 2 || a.steps == 0) return std::nullopt;
    // A decision to wait stands until its gang is due, while the free state changes only as
    // foreseen: no host failed or came back, and the gang free now is no better.
    if (auto kept = waiting_.find(j); kept != waiting_.end()) {
      const Decision& d = kept->second;
      if (t < d.awaited.startS && hostEvents_ == d.hostEvents &&
          now.predicted.bottleneckGbps <= d.nowBottleneckGbps)
        return d.awaited;
      waiting_.erase(kept);
    }
    auto ideal = idealBottleneck_.find({a.nodes, a.gpusPerNode});
    if (ideal == idealBottleneck_.end()) {
      std::vector<int> all;
      for (const Host& host : topology_.hosts()) all.push_back(host.gpus);
      const auto best = place(j, all);
      ideal = idealBottleneck_
                  .emplace(std::make_pair(a.nodes, a.gpusPerNode),
                           best ? best->predicted.bottleneckGbps : 0)
                  .first;
    }
    if (now.predicted.bottleneckGbps >= 0.99 * ideal->second) return std::nullopt;
    const double left = 1 - savedShare(j);
    const double commNow = left * communicationS(a, now);
    const double endNow = t + left * a.computeS + commNow;
    std::vector<int> free = state_.free();
    const int need = a.gpusPerNode;
    int looked = 0;
    for (auto it = running_.begin();
         it != running_.end() && it->first < t + commNow && looked < kMostLaterLooks;) {
      const double when = it->first;
      int gained = 0;  // hosts more that fit the job
      for (; it != running_.end() && it->first == when; ++it)
        gained += giveBack(free, it->second, need);
      if (gained == 0) continue;
      ++looked;
      const auto later = place(j, free);
      if (later && when + left * (a.computeS + communicationS(a, *later)) < endNow) {
        Awaited awaited{when, std::vector<char>(free.size(), 0)};
        for (int host : later->hosts) awaited.held[static_cast<std::size_t>(host)] = 1;
        waiting_[j] = {awaited, now.predicted.bottleneckGbps, hostEvents_};
        return awaited;
      }
    }
    return std::nullopt;
  }

  // Each team's classic fair-share factor, 2^-(usage share / shares share) (1 before any usage).
  std::vector<double> fairShareFactors() const {
    double used = 0, shares = 0;
    for (double u : usage_) used += u;
    for (double s : shares_) shares += s;
    std::vector<double> factor(usage_.size(), 1.0);
    if (used <= 0) return factor;
    for (std::size_t i = 0; i < factor.size(); ++i)
      factor[i] = shares_[i] > 0 ? std::pow(2.0, -(usage_[i] / used) / (shares_[i] / shares)) : 0;
    return factor;
  }

  // The queue by priority, then fair-share factor, then submission.
  void orderByFairShare() {
    const std::vector<double> factor = fairShareFactors();
    auto factorOf = [&](int j) { return factor[teamOf_[static_cast<std::size_t>(j)]]; };
    std::sort(queue_.begin(), queue_.end(),
              [&](int a, int b) { return queueKey(a, factorOf(a)) < queueKey(b, factorOf(b)); });
  }

  // Stops the running jobs of lower priority than job j that its gang needs (see replay.h) and
  // returns the gang; nullopt (and nothing stopped) when stopping all of them would not do.
  std::optional<Placement> preemptFor(int j, double t) {
    std::vector<int> victims;
    for (const auto& [end, r] : running_) {
      if (job(r).priority < job(j).priority) victims.push_back(r);
    }
    auto lastStart = [&](int r) {
      return out_.jobs[static_cast<std::size_t>(r)].attempts.back().startS;
    };
    std::sort(victims.begin(), victims.end(), [&](int a, int b) {
      return std::make_tuple(job(a).priority, -lastStart(a), -a) <
             std::make_tuple(job(b).priority, -lastStart(b), -b);
    });
    std::vector<int> free = state_.free();
    const int need = job(j).gpusPerNode;
    int fitting = state_.fitting(need);  // hosts of `free` with `need` GPUs, kept as it grows
    for (std::size_t k = 0; k < victims.size(); ++k) {
      fitting += giveBack(free, victims[k], need);
      if (fitting < job(j).nodes) continue;
      auto placement = place(j, free);
      if (!placement) continue;
      const std::set<int> chosen(placement->hosts.begin(), placement->hosts.end());
      for (std::size_t v = 0; v <= k; ++v) {
        const auto& hosts = out_.jobs[static_cast<std::size_t>(victims[v])].hosts;
        if (std::any_of(hosts.begin(), hosts.end(), [&](int h) { return chosen.count(h) > 0; }))
          stop(victims[v], t, /*preempted=*/true);
      }
      return placement;
    }
    return std::nullopt;
  }

  // EASY: the first job's reservation (when enough hosts will fit it, and how many beyond what
  // it needs), from the running jobs' ends in order.
  std::pair<double, int> reservation(const TraceJob& head) const {
    int fit = state_.fitting(head.gpusPerNode);
    std::vector<int> free = state_.free();
    for (const auto& [end, j] : running_) {
      fit += giveBack(free, j, head.gpusPerNode);
      if (fit >= head.nodes) return {end, fit - head.nodes};
    }
    return {kNever, 0};
  }

  // EASY backfill behind the first waiting job. When it waits for a better gang (`awaited`), its
  // reservation is that gang's hosts from that time: later jobs start when they end by then or
  // stay off those hosts.
  void backfill(double t, const std::optional<Awaited>& awaited) {
    const TraceJob& head = job(queue_.front());
    Unheld unheld;
    if (awaited) unheld.update(state_.free(), awaited->held);
    std::optional<std::pair<double, int>> reserved;
    int looked = 0;
    for (auto it = std::next(queue_.begin()); it != queue_.end() && looked < options_.backfillDepth;
         ++looked) {
      const TraceJob& candidate = job(*it);
      if (state_.fitting(candidate.gpusPerNode) < candidate.nodes) {
        ++it;
        continue;
      }
      if (awaited) {
        if (backfillAround(*it, *awaited, unheld, t)) {
          it = queue_.erase(it);
          unheld.update(state_.free(), awaited->held);
        } else {
          ++it;
        }
        continue;
      }
      if (!reserved) reserved = reservation(head);
      auto& [shadow, extra] = *reserved;
      // Compute time is a lower bound of the run time: skip what cannot qualify unplaced.
      if (t + (1 - savedShare(*it)) * candidate.computeS > shadow && candidate.nodes > extra) {
        ++it;
        continue;
      }
      auto placement = place(*it, state_.free());
      if (!placement) {
        ++it;
        continue;
      }
      const double left = 1 - savedShare(*it);
      const bool endsInTime =
          t + left * (candidate.computeS + communicationS(candidate, *placement)) <= shadow;
      if ((!endsInTime && candidate.nodes > extra) || betterLater(*it, *placement, t)) {
        ++it;
        continue;
      }
      if (!endsInTime) extra -= candidate.nodes;
      start(*it, *placement, t);
      it = queue_.erase(it);
    }
  }

  // The free state without an awaited gang's hosts, and how many hosts of it have each count of
  // free GPUs.
  struct Unheld {
    std::vector<int> free;
    FreeCounts counts;
    void update(const std::vector<int>& all, const std::vector<char>& held) {
      free = all;
      counts = {};
      for (std::size_t h = 0; h < free.size(); ++h) {
        if (held[h]) free[h] = 0;
        counts.add(free[h]);
      }
    }
  };

  // Starts job j at t, behind a first job awaiting a better gang, when it ends before that gang
  // is due or fits off its hosts; it waits itself for a better gang of its own.
  bool backfillAround(int j, const Awaited& awaited, const Unheld& unheld, double t) {
    const TraceJob& a = job(j);
    const double left = 1 - savedShare(j);
    std::optional<Placement> placement;
    if (t + left * a.computeS <= awaited.startS) {  // compute alone ends in time: it may
      placement = place(j, state_.free());
      if (placement && t + left * (a.computeS + communicationS(a, *placement)) > awaited.startS)
        placement.reset();
    }
    if (!placement && unheld.counts.fitting(a.gpusPerNode) >= a.nodes)
      placement = place(j, unheld.free);
    if (!placement || betterLater(j, *placement, t)) return false;
    start(j, *placement, t);
    return true;
  }

 private:
  const Topology& topology_;
  const CostModel& cost_;
  const std::set<int>& degraded_;
  const std::vector<TraceJob>& jobs_;
  ReplayOptions options_;
  ClusterState state_;
  std::map<int, int> hostsWithGpus_;          // hosts per GPU count, for what can ever run
  std::set<std::pair<double, int>> running_;  // (end, job)
  std::deque<int> queue_;
  std::vector<std::set<int>> jobsOn_;                    // per host, the jobs running there
  std::set<std::tuple<double, int, int, bool>> events_;  // (time, kDown/kUp, host, drawn)
  std::vector<int> downDepth_;
  std::vector<std::size_t> downSince_;  // per host, its open entry of out_.downtimes
  int downHosts_ = 0;
  // Fair share: teams by name, each job's team, decayed usage and GPUs running, shares.
  std::map<std::string, std::size_t> teams_;
  std::vector<std::size_t> teamOf_;
  std::vector<double> usage_, teamGpus_, shares_;
  std::mt19937_64 rng_{options_.seed};
  std::map<std::pair<int, int>, double> idealBottleneck_;  // per (nodes, GPUs per node)
  std::unordered_map<int, Decision> waiting_;              // per job that waits for a gang
  long hostEvents_ = 0;                                    // failures and repairs so far
  ReplayRun out_;
  double lastT_ = 0;
  Timeline timeline_;
};

// A figure of every job that ran, sorted.
std::vector<double> sortedValues(const std::vector<ReplayJob>& jobs,
                                 double (*value)(const ReplayJob&)) {
  std::vector<double> values;
  for (const ReplayJob& j : jobs) {
    if (j.endS >= 0) values.push_back(value(j));
  }
  std::sort(values.begin(), values.end());
  return values;
}

double mean(const std::vector<double>& values) {
  return values.empty() ? 0
                        : std::accumulate(values.begin(), values.end(), 0.0) /
                              static_cast<double>(values.size());
}

double quantile(const std::vector<double>& sorted, double q) {
  return sorted.empty() ? 0 : quantileSorted(sorted, q);
}

// The step function's value at evenly spaced times.
std::vector<ReplaySample> evenly(const std::vector<ReplaySample>& samples, double endS,
                                 int points) {
  std::vector<ReplaySample> out;
  if (samples.empty() || points < 2) return out;
  std::size_t at = 0;
  for (int i = 0; i < points; ++i) {
    const double t = endS * i / (points - 1);
    while (at + 1 < samples.size() && samples[at + 1].timeS <= t) ++at;
    ReplaySample s = samples[at];
    s.timeS = t;
    out.push_back(s);
  }
  return out;
}

ReplaySummary summarize(const Topology& topology, const std::vector<TraceJob>& trace,
                        const std::vector<ReplayJob>& jobs, const Timeline& timeline,
                        const ReplayOptions& options) {
  ReplaySummary s;
  s.policy = options.policy;
  s.jobs = static_cast<int>(jobs.size());
  const auto jct = sortedValues(jobs, [](const ReplayJob& j) { return j.endS - j.submitS; });
  const auto queue = sortedValues(jobs, [](const ReplayJob& j) { return j.startS - j.submitS; });
  s.started = static_cast<int>(jct.size());
  s.jctMeanS = mean(jct);
  s.jctP50S = quantile(jct, 0.5);
  s.jctP99S = quantile(jct, 0.99);
  s.queueMeanS = mean(queue);
  s.queueP99S = quantile(queue, 0.99);
  for (int p = 0; p <= 100 && !jct.empty(); ++p) s.jctCdfS.push_back(quantile(jct, p / 100.0));
  double commS = 0, runS = 0, busbw = 0;
  const int leaf = topology.levelCount() - 1, pod = std::max(0, topology.levelCount() - 2);
  int inLeaf = 0, inPod = 0;
  for (const ReplayJob& j : jobs) {
    for (const ReplayAttempt& a : j.attempts) s.makespanS = std::max(s.makespanS, a.endS);
    if (j.endS < 0) continue;  // never started, or never completed (hosts down to the end)
    commS += j.commS;
    runS += j.endS - j.startS;
    if (j.busbwGbps <= 0) continue;  // single-node jobs
    ++s.multiNodeGangs;
    busbw += j.busbwGbps;
    inLeaf += leaf >= 0 && j.domainLevel == leaf;
    inPod += leaf >= 0 && j.domainLevel >= pod;
  }
  if (s.multiNodeGangs > 0) {
    s.busbwMeanGbps = busbw / s.multiNodeGangs;
    s.inLeafShare = static_cast<double>(inLeaf) / s.multiNodeGangs;
    s.inPodShare = static_cast<double>(inPod) / s.multiNodeGangs;
  }
  s.commShare = runS > 0 ? commS / runS : 0;
  double allocatedGpuS = 0, lostGpuS = 0;
  for (const ReplayJob& j : jobs) {
    const TraceJob& t = trace[static_cast<std::size_t>(j.job)];
    for (const ReplayAttempt& a : j.attempts)
      allocatedGpuS += (a.endS - a.startS) * t.nodes * t.gpusPerNode;
    lostGpuS += j.lostGpuS;
    s.restarts += j.restarts;
    s.preemptions += j.preemptions;
  }
  // Per team, where the trace names any.
  std::map<std::string, std::pair<TeamFigures, std::vector<double>>> teams;
  for (const ReplayJob& j : jobs) {
    const TraceJob& t = trace[static_cast<std::size_t>(j.job)];
    auto& [figures, queued] = teams[t.team];
    figures.team = t.team;
    ++figures.jobs;
    if (j.startS >= 0) queued.push_back(j.startS - j.submitS);
    for (const ReplayAttempt& a : j.attempts)
      figures.gpuH += (a.endS - a.startS) * t.nodes * t.gpusPerNode / 3600;
  }
  if (teams.size() > 1 || (teams.size() == 1 && !teams.begin()->first.empty())) {
    for (auto& [name, entry] : teams) {
      auto& [figures, queued] = entry;
      std::sort(queued.begin(), queued.end());
      figures.queueMeanS = mean(queued);
      figures.queueP99S = quantile(queued, 0.99);
      s.teams.push_back(figures);
    }
  }
  s.allocatedGpuH = allocatedGpuS / 3600;
  s.lostGpuH = lostGpuS / 3600;
  s.goodput = allocatedGpuS > 0 ? (allocatedGpuS - lostGpuS) / allocatedGpuS : 1;
  // Jobs left waiting (failed hosts): the time means run to the last event, as the integrals do.
  const bool unfinished = std::any_of(jobs.begin(), jobs.end(), [](const ReplayJob& j) {
    return j.endS < 0 && !j.attempts.empty();
  });
  if (unfinished || timeline.endS > s.makespanS) s.makespanS = std::max(s.makespanS, timeline.endS);
  if (s.makespanS > 0) {
    const double gpuS = static_cast<double>(timeline.totalGpus) * s.makespanS;
    s.utilizationMean = timeline.busyGpuS / gpuS;
    s.fragmentationMean = timeline.strandedGpuS / gpuS;
    if (timeline.leafCount > 0)
      s.partialLeavesMean = timeline.partialLeafS / (timeline.leafCount * s.makespanS);
  }
  s.series = evenly(timeline.samples, s.makespanS, options.seriesPoints);
  return s;
}

}  // namespace

Result<ReplayRun> replay(const Topology& topology, const CostModel& cost,
                         const std::set<int>& degradedHosts, const std::vector<TraceJob>& jobs,
                         const ReplayOptions& options) {
  if (std::find(std::begin(kReplayPolicies), std::end(kReplayPolicies), options.policy) ==
      std::end(kReplayPolicies)) {
    return Error("policy '" + options.policy +
                 "': expected topoplan, topoplan-greedy, best-fit, spread, first-fit or random");
  }
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (jobs[j].nodes < 1 || jobs[j].gpusPerNode < 1 || !(jobs[j].computeS >= 0) ||
        !(jobs[j].submitS >= 0))
      return Error("job " + std::to_string(j) + " (" + jobs[j].id +
                   "): expected at least one node and one GPU per node, and times >= 0");
  }
  if (!(options.mtbfS >= 0) || !(options.mttrS > 0) || !(options.degradedFailureFactor > 0) ||
      !(options.checkpointS >= 0))
    return Error(
        "failures: expected an MTBF >= 0, an MTTR > 0, a degraded factor > 0 and a "
        "checkpoint interval >= 0");
  if (!(options.fairShareHalfLifeS > 0)) return Error("fair share: expected a half-life > 0 s");
  for (const auto& [team, share] : options.teamShares) {
    if (!(share >= 0) || !std::isfinite(share))
      return Error("fair share: team '" + team + "': share " + std::to_string(share) +
                   ", expected a number >= 0");
  }
  for (const HostFailure& f : options.failures) {
    if (f.host < 0 || f.host >= static_cast<int>(topology.hosts().size()) || !(f.downS >= 0) ||
        !(f.upS > f.downS))
      return Error("failure of host " + std::to_string(f.host) + " at " + std::to_string(f.downS) +
                   " s: expected a host of the cluster and a repair after the failure");
  }
  const auto begin = std::chrono::steady_clock::now();
  auto [run, timeline] = Simulation(topology, cost, degradedHosts, jobs, options).run();
  const ReplaySummary counted = run.summary;
  run.summary = summarize(topology, jobs, run.jobs, timeline, options);
  run.summary.unplaceable = counted.unplaceable;
  run.summary.unfinished = counted.unfinished;
  run.summary.hostFailures = counted.hostFailures;
  run.summary.wallS =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return run;
}

}  // namespace topoplan
