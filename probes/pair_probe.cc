#include "probes/pair_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "core/units.h"
#include "probes/schedule.h"

namespace topoplan {
namespace {

constexpr int kPingTag = 201;
constexpr int kStreamTag = 202;
constexpr int kAckTag = 203;

double nowUs() {
  return std::chrono::duration<double, std::micro>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Both ranks of a pair call this; the initiator returns the figures, the partner empty ones.
Result<std::vector<SizeFigures>> measureOverComm(Comm& comm, int partner, bool initiator,
                                                 const ProbeConfig& config,
                                                 std::vector<std::byte>& buffer) {
  std::vector<SizeFigures> figures;
  std::byte ack{};
  for (std::uint64_t bytes : config.sizes) {
    const std::span<std::byte> message(buffer.data(), bytes);
    std::vector<double> lat, bw;
    for (int i = -1; i < config.iters; ++i) {  // i = -1: warm-up
      if (initiator) {
        const double start = nowUs();
        TOPOPLAN_TRY(comm.send(partner, message, kPingTag));
        TOPOPLAN_TRY(comm.recv(partner, message, kPingTag));
        if (i >= 0) lat.push_back((nowUs() - start) / 2);
      } else {
        TOPOPLAN_TRY(comm.recv(partner, message, kPingTag));
        TOPOPLAN_TRY(comm.send(partner, message, kPingTag));
      }
    }
    for (int i = -1; i < config.iters; ++i) {
      std::vector<Request> requests;
      if (initiator) {
        const double start = nowUs();
        for (int w = 0; w < config.window; ++w) {
          auto request = comm.isend(partner, message, kStreamTag);
          if (!request) return request.error();
          requests.push_back(*request);
        }
        TOPOPLAN_TRY(comm.waitAll(requests));
        TOPOPLAN_TRY(comm.recv(partner, std::span<std::byte>(&ack, 1), kAckTag));
        const double elapsed = (nowUs() - start) / kMicrosPerSecond;
        if (i >= 0) bw.push_back(gbps(bytes * static_cast<std::uint64_t>(config.window), elapsed));
      } else {
        for (int w = 0; w < config.window; ++w) {
          auto request = comm.irecv(partner, message, kStreamTag);
          if (!request) return request.error();
          requests.push_back(*request);
        }
        TOPOPLAN_TRY(comm.waitAll(requests));
        TOPOPLAN_TRY(comm.send(partner, std::span<const std::byte>(&ack, 1), kAckTag));
      }
    }
    if (initiator) figures.push_back({bytes, summarize(bw), summarize(lat)});
  }
  return figures;
}

// Fixed-size record of one (pair, size) for gathering.
struct WireFigure {
  std::int32_t a, b;
  std::uint64_t bytes;
  double bw[5], lat[5];  // median, p10, p90, min, max
  std::uint64_t samples;
};

WireFigure toWire(int a, int b, const SizeFigures& f) {
  return {a,
          b,
          f.bytes,
          {f.bwGbps.median, f.bwGbps.p10, f.bwGbps.p90, f.bwGbps.min, f.bwGbps.max},
          {f.latUs.median, f.latUs.p10, f.latUs.p90, f.latUs.min, f.latUs.max},
          f.bwGbps.samples};
}

SizeFigures fromWire(const WireFigure& w) {
  SizeFigures f;
  f.bytes = w.bytes;
  f.bwGbps = {w.bw[0], w.bw[1], w.bw[2], w.bw[3], w.bw[4], w.bw[0], 0, w.samples};
  f.latUs = {w.lat[0], w.lat[1], w.lat[2], w.lat[3], w.lat[4], w.lat[0], 0, w.samples};
  return f;
}

// Every rank's figures to every rank, keyed by pair.
Result<std::map<std::pair<int, int>, std::vector<SizeFigures>>> gatherFigures(
    Comm& comm, const std::vector<PairFigures>& mine) {
  std::vector<WireFigure> wire;
  for (const PairFigures& pair : mine) {
    for (const SizeFigures& f : pair.sizes) wire.push_back(toWire(pair.a, pair.b, f));
  }
  auto counts = comm.allgatherValues(std::vector<std::uint64_t>{wire.size()});
  if (!counts) return counts.error();
  const std::uint64_t most = *std::max_element(counts->begin(), counts->end());
  wire.resize(most, WireFigure{-1, -1, 0, {}, {}, 0});
  auto all = comm.allgatherValues(wire);
  if (!all) return all.error();
  std::map<std::pair<int, int>, std::vector<SizeFigures>> figures;
  for (const WireFigure& w : *all) {
    if (w.a >= 0) figures[{w.a, w.b}].push_back(fromWire(w));
  }
  return figures;
}

}  // namespace

PairMeasurer commMeasurer(Comm& comm, const ProbeConfig& config) {
  auto buffer = std::make_shared<std::vector<std::byte>>(
      *std::max_element(config.sizes.begin(), config.sizes.end()));
  return [&comm, config, buffer](int partner, bool initiator) {
    return measureOverComm(comm, partner, initiator, config, *buffer);
  };
}

namespace {

// Measures each step of `steps` (pairs that run at once, after a barrier) and gathers its figures
// into `out`, keyed by pair, on every rank: after a failed step `out` holds the steps before it.
Status measureSteps(Comm& comm, const std::vector<Round>& steps, const std::string& label,
                    const PairMeasurer& measure,
                    std::map<std::pair<int, int>, std::vector<SizeFigures>>& out,
                    const std::function<void(int, int)>& progress) {
  const int me = comm.rank();
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const std::string step = std::to_string(s + 1) + "/" + std::to_string(steps.size());
    const int partner = partnerIn(steps[s], me);
    comm.setActivity(
        label + " " + step +
        (partner >= 0 ? ", measuring with rank " + std::to_string(partner) : ", resting"));
    Status ready = comm.barrier();
    if (!ready) return ready.error().context(label + " " + step + ": the barrier before it");
    std::vector<PairFigures> mine;
    if (partner >= 0) {
      auto figures = measure(partner, me < partner);
      if (!figures) {
        return figures.error().context(label + " " + step + ", ranks " +
                                       std::to_string(std::min(me, partner)) + " and " +
                                       std::to_string(std::max(me, partner)));
      }
      if (me < partner) mine.push_back({me, partner, std::move(*figures)});
    }
    auto gathered = gatherFigures(comm, mine);
    if (!gathered) return gathered.error().context(label + " " + step + ": gathering its figures");
    out.merge(*gathered);
    if (progress) progress(static_cast<int>(s) + 1, static_cast<int>(steps.size()));
  }
  return okStatus();
}

// Moves gathered figures into the result's links, as their concurrent or serial figures.
void storeFigures(std::map<std::pair<int, int>, std::vector<SizeFigures>>& figures, bool serial,
                  ProbeResult& result) {
  std::map<std::pair<int, int>, std::size_t> index;
  for (std::size_t i = 0; i < result.links.size(); ++i) {
    index[{result.links[i].a, result.links[i].b}] = i;
  }
  for (auto& [pair, sizes] : figures) {
    auto [at, added] = index.try_emplace(pair, result.links.size());
    if (added) result.links.push_back({pair.first, pair.second, {}, {}, {}});
    LinkMeasurement& link = result.links[at->second];
    (serial ? link.serial : link.concurrent) = std::move(sizes);
  }
  figures.clear();
}

}  // namespace

Status runPairProbe(Comm& comm, const ProbeConfig& config,
                    const std::function<bool(int, int)>& sameHost, ProbeResult& result,
                    const std::function<void(int, int)>& progress, const PairMeasurer& measurer) {
  if (config.sizes.empty() || config.iters < 1 || config.window < 1) {
    return Error("probe: expected at least one size, one iteration and a window of one");
  }
  const PairMeasurer measure = measurer ? measurer : commMeasurer(comm, config);
  const std::vector<Round> rounds = circleRounds(comm.size());
  result = ProbeResult{};
  result.rounds = static_cast<int>(rounds.size());

  // Rounds of disjoint pairs at once, or (serial) each pair alone.
  std::vector<Round> schedule;
  for (const Round& round : rounds) {
    if (!config.serial) {
      schedule.push_back(round);
      continue;
    }
    for (const auto& pair : round) schedule.push_back({pair});
  }
  std::map<std::pair<int, int>, std::vector<SizeFigures>> figures;
  Status measured =
      measureSteps(comm, schedule, config.label + (config.serial ? " pair" : " round"), measure,
                   figures, progress);
  storeFigures(figures, config.serial, result);
  std::sort(result.links.begin(), result.links.end(),
            [](const auto& x, const auto& y) { return std::pair(x.a, x.b) < std::pair(y.a, y.b); });
  if (!measured || config.serial) return measured;

  // Suspects, identical on every rank (same data): compared within their path kind.
  std::map<bool, double> bestBw, lowestLat;
  for (const LinkMeasurement& link : result.links) {
    const bool local = sameHost(link.a, link.b);
    bestBw[local] = std::max(bestBw[local], link.concurrent.back().bwGbps.median);
    const double lat = link.concurrent.front().latUs.median;
    if (!lowestLat.count(local) || lat < lowestLat[local]) lowestLat[local] = lat;
  }
  std::vector<Round> suspects;
  for (LinkMeasurement& link : result.links) {
    const bool local = sameHost(link.a, link.b);
    const double bw = link.concurrent.back().bwGbps.median;
    const double lat = link.concurrent.front().latUs.median;
    char reason[160] = "";
    if (bw < config.bwSuspectRatio * bestBw[local]) {
      std::snprintf(reason, sizeof reason,
                    "bandwidth %.4g GB/s below %.3g x the best of its path kind (%.4g GB/s)", bw,
                    config.bwSuspectRatio, bestBw[local]);
    } else if (lat > config.latSuspectRatio * lowestLat[local]) {
      std::snprintf(reason, sizeof reason,
                    "latency %.4g us above %.3g x the lowest of its path kind (%.4g us)", lat,
                    config.latSuspectRatio, lowestLat[local]);
    }
    link.suspectReason = reason;
    if (!link.suspectReason.empty()) suspects.push_back({{link.a, link.b}});
  }
  measured = measureSteps(comm, suspects, config.label + " suspect", measure, figures, {});
  storeFigures(figures, /*serial=*/true, result);
  return measured;
}

}  // namespace topoplan
