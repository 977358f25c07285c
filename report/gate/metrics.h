// Metrics: the comparable figures of a result file, one per record, higher is better.
//
// From a topoplan.allreduce/v1 document: busbw_gbps per (algo, bytes, dtype, op, in/out-of-place),
// its noise the spread of the time samples, its samples each iteration's busbw (samples_us). From
// a topoplan.cluster/v1 document: bw_gbps per link (ranks, hosts, probe, path), its noise the
// spread of the bandwidth samples, its samples bw_samples_gbps where the probe kept them. From an
// nccl-tests text log or its -J JSON: busbw per row (collective from the log's header or file name;
// the nccl-tests "nccl" algorithm), without a spread.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct Metric {
  std::string key;   // what is matched between two runs, e.g. "allreduce ring float sum 4194304 in"
  std::string unit;  // "busbw_gbps" or "bw_gbps"
  double value = 0;
  double noise = 0;  // relative spread (p90 - p10) / median of the samples; 0 when unknown
  int samples = 0;   // how many samples the figure summarizes
  // The samples themselves in the metric's unit, in the order taken (each iteration's busbw, each
  // bandwidth sample of a link); empty where the document kept none (older documents, nccl-tests).
  std::vector<double> sampleValues;
  std::vector<std::pair<std::string, std::string>> labels;  // for Prometheus, in order
};

struct MetricSet {
  std::string source;
  std::string kind;  // "allreduce", "cluster", "nccl-tests"
  std::vector<Metric> metrics;
  std::string incomplete;  // why the run ended early; empty for a complete run
};

// A metric's noise: (p90 - p10) / median; 0 where it cannot be known.
double relativeSpread(double p10, double p90, double median);

// Reads any of the formats above, recognised from the content; errors name the file, line or
// field (exit 2).
Result<MetricSet> readMetrics(const std::string& path);

// The nccl-tests text log alone (for tests and the report).
Result<MetricSet> parseNcclTestsLog(const std::string& text, const std::string& source);

}  // namespace topoplan
