#include "placement/whatif/trace.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <map>

#include "core/lines.h"
#include "placement/cost_model.h"

namespace topoplan {
namespace {

// A field's text as a finite number in [low, high].
Result<double> number(std::string_view text, double low, double high, const std::string& what) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < low || value > high) {
    return Error(what + ": '" + std::string(text) + "': expected a number from " +
                 std::to_string(static_cast<long long>(low)) + " to " +
                 std::to_string(static_cast<long long>(high)));
  }
  return value;
}

Result<long long> integer(std::string_view text, long long low, long long high,
                          const std::string& what) {
  auto value = number(text, static_cast<double>(low), static_cast<double>(high), what);
  if (!value) return value.error();
  if (*value != std::floor(*value))
    return Error(what + ": '" + std::string(text) + "': expected a whole number");
  return static_cast<long long>(*value);
}

// The first error among parsed fields, in order.
template <typename... Results>
Status firstError(const Results&... results) {
  Status status = okStatus();
  ((status = status.ok() && !results.ok() ? Status(results.error()) : status), ...);
  return status;
}

constexpr double kMaxSeconds = 1e10;  // about 300 years
constexpr long long kMaxNodes = 1'000'000;
constexpr long long kMaxGpus = 1024;

// The columns of a header, by name; every one of `required` must be there.
Result<std::map<std::string, std::size_t, std::less<>>> columns(
    const std::vector<std::string_view>& header, const std::vector<const char*>& required,
    const std::string& at) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (std::size_t i = 0; i < header.size(); ++i) index.emplace(std::string(header[i]), i);
  for (const char* name : required) {
    if (!index.count(name)) return Error(at + ": header has no column '" + name + "'");
  }
  return index;
}

// Reads the rows after the header; `row(fields, at, line)` turns one into a job or skips it.
using RowReader =
    std::function<Status(const std::vector<std::string_view>&, const std::string&, int, Trace&)>;

Status readRows(std::string_view text, const std::string& source, bool header, char separator,
                std::size_t fieldCount, std::size_t minFields, const RowReader& row, Trace& trace) {
  return forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    if (line.empty() || line.front() == '#') return okStatus();
    if (header) {
      header = false;
      return okStatus();
    }
    const auto parts = fields(line, separator);
    const std::string at = source + ":" + std::to_string(lineNumber);
    if (parts.size() < minFields || parts.size() > fieldCount) {
      return Error(at + ": " + std::to_string(parts.size()) + " fields, expected " +
                   (minFields == fieldCount
                        ? std::to_string(fieldCount)
                        : std::to_string(minFields) + " to " + std::to_string(fieldCount)) +
                   " as in the header");
    }
    return row(parts, at, lineNumber, trace);
  });
}

Status readKalos(std::string_view text, const std::string& source,
                 const std::vector<std::string_view>& header, const std::string& headerAt,
                 Trace& trace) {
  auto col = columns(header,
                     {"job_id", "arrival_time", "num_iteration", "iteration_computing_time",
                      "iteration_networking_time", "gpu_workers", "gpu_per_worker"},
                     headerAt);
  if (!col) return col.error();
  const auto& c = *col;
  auto field = [&](const std::vector<std::string_view>& f, const char* name) {
    return f[c.find(name)->second];
  };
  return readRows(
      text, source, true, ',', header.size(), header.size(),
      [&](const std::vector<std::string_view>& f, const std::string& at, int line,
          Trace& out) -> Status {
        TraceJob job;
        job.id = std::string(field(f, "job_id"));
        job.line = line;
        auto arrival = number(field(f, "arrival_time"), 0, kMaxSeconds, at + ": arrival_time");
        auto iterations =
            integer(field(f, "num_iteration"), 1, 1'000'000'000, at + ": num_iteration");
        auto compute =
            number(field(f, "iteration_computing_time"), 0, 1e6, at + ": iteration_computing_time");
        auto network = number(field(f, "iteration_networking_time"), 0, 1e6,
                              at + ": iteration_networking_time");
        auto workers = integer(field(f, "gpu_workers"), 1, kMaxNodes, at + ": gpu_workers");
        auto gpus = integer(field(f, "gpu_per_worker"), 1, kMaxGpus, at + ": gpu_per_worker");
        TOPOPLAN_TRY(firstError(arrival, iterations, compute, network, workers, gpus));
        job.submitS = *arrival;
        job.nodes = static_cast<int>(*workers);
        job.gpusPerNode = static_cast<int>(*gpus);
        job.computeS = static_cast<double>(*iterations) * *compute;
        if (job.nodes == 1) {
          job.computeS += static_cast<double>(*iterations) * *network;
        } else if (*network > 0) {
          const double n = job.nodes;
          job.steps = *iterations;
          job.bytesPerStep = static_cast<std::uint64_t>(
              std::llround(*network * CostModel::kDefaultGbps * 1e9 * n / (2 * (n - 1))));
        }
        out.jobs.push_back(std::move(job));
        return okStatus();
      },
      trace);
}

// Steps of `stepS` compute seconds each, one AllReduce of `bytes` after each.
void setSteps(TraceJob& job, std::uint64_t bytes, double stepS) {
  if (bytes == 0 || job.nodes < 2) return;
  job.bytesPerStep = bytes;
  job.steps = std::max(1LL, static_cast<long long>(std::ceil(job.computeS / stepS)));
}

// Where the optional columns of a plain CSV trace are (npos: absent), and how many there are.
struct PlainColumns {
  std::size_t bytes = 4, priority = std::string_view::npos, team = std::string_view::npos,
              count = 5;
};

Status readPlainCsv(std::string_view text, const std::string& source, bool hasHeader,
                    const PlainColumns& layout, const TraceOptions& options, Trace& trace) {
  return readRows(
      text, source, hasHeader, ',', layout.count, 4,
      [&](const std::vector<std::string_view>& f, const std::string& at, int line,
          Trace& out) -> Status {
        auto submit = number(f[0], 0, kMaxSeconds, at + ": submit_s");
        auto nodes = integer(f[1], 1, kMaxNodes, at + ": nodes");
        auto gpus = integer(f[2], 1, kMaxGpus, at + ": gpus_per_node");
        auto duration = number(f[3], 0, kMaxSeconds, at + ": duration_s");
        TOPOPLAN_TRY(firstError(submit, nodes, gpus, duration));
        TraceJob job{std::to_string(out.jobs.size() + 1),
                     *submit,
                     static_cast<int>(*nodes),
                     static_cast<int>(*gpus),
                     *duration,
                     0,
                     0,
                     line};
        std::uint64_t bytes = options.bytesPerStep;
        if (layout.bytes < f.size()) {
          auto b = integer(f[layout.bytes], 0, 1LL << 50, at + ": bytes_per_step");
          if (!b) return b.error();
          bytes = static_cast<std::uint64_t>(*b);
        }
        if (layout.priority < f.size()) {
          auto p = integer(f[layout.priority], -(1LL << 40), 1LL << 40, at + ": priority");
          if (!p) return p.error();
          job.priority = *p;
        }
        if (layout.team < f.size()) job.team = std::string(f[layout.team]);
        setSteps(job, bytes, options.stepS);
        out.jobs.push_back(std::move(job));
        return okStatus();
      },
      trace);
}

// "2024-03-01T10:00:00" as seconds since the epoch; nullopt-like error for anything else.
Result<double> sacctTime(std::string_view text, const std::string& what) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  for (auto [target, separator] :
       {std::pair{&y, '-'}, {&mo, '-'}, {&d, 'T'}, {&h, ':'}, {&mi, ':'}, {&s, '\0'}}) {
    auto [next, ec] = std::from_chars(p, end, *target);
    if (ec != std::errc() || (separator != '\0' && (next == end || *next != separator)) ||
        (separator == '\0' && next != end)) {
      return Error(what + ": '" + std::string(text) + "': expected a time YYYY-MM-DDTHH:MM:SS");
    }
    p = next + (separator != '\0');
  }
  const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(unsigned(mo)),
                                         std::chrono::day(unsigned(d))};
  if (!date.ok() || h > 23 || mi > 59 || s > 60 || y < 1970)
    return Error(what + ": '" + std::string(text) + "': not a valid date and time");
  const auto days = std::chrono::sys_days(date).time_since_epoch().count();
  return static_cast<double>(days) * 86400.0 + h * 3600.0 + mi * 60.0 + s;
}

// GPUs in an AllocTRES list: gres/gpu=N, else the sum of gres/gpu:TYPE=N.
Result<long long> tresGpus(std::string_view tres, const std::string& at) {
  long long plain = -1, typed = 0;
  for (std::string_view item : fields(tres, ',')) {
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = item.substr(0, eq);
    if (key != "gres/gpu" && !key.starts_with("gres/gpu:")) continue;
    auto count = integer(item.substr(eq + 1), 0, kMaxNodes * kMaxGpus,
                         at + ": AllocTRES " + std::string(key));
    if (!count) return count.error();
    if (key == "gres/gpu") {
      plain = *count;
    } else {
      typed += *count;
    }
  }
  return plain >= 0 ? plain : typed;
}

bool neverRan(std::string_view time) {
  return time.empty() || time == "Unknown" || time == "None";
}

Status readSacct(std::string_view text, const std::string& source,
                 const std::vector<std::string_view>& header, const std::string& headerAt,
                 const TraceOptions& options, Trace& trace) {
  auto col = columns(header, {"JobID", "Submit", "Start", "End", "NNodes", "AllocTRES"}, headerAt);
  if (!col) return col.error();
  const auto& c = *col;
  auto field = [&](const std::vector<std::string_view>& f, const char* name) {
    return f[c.find(name)->second];
  };
  return readRows(
      text, source, true, '|', header.size() + 1, header.size(),  // sacct may end rows with '|'
      [&](const std::vector<std::string_view>& f, const std::string& at, int line,
          Trace& out) -> Status {
        const std::string_view id = field(f, "JobID");
        if (id.find('.') != std::string_view::npos || neverRan(field(f, "Start")) ||
            neverRan(field(f, "End"))) {
          ++out.skipped;
          return okStatus();
        }
        auto submit = sacctTime(field(f, "Submit"), at + ": Submit");
        auto start = sacctTime(field(f, "Start"), at + ": Start");
        auto end = sacctTime(field(f, "End"), at + ": End");
        auto nodes = integer(field(f, "NNodes"), 1, kMaxNodes, at + ": NNodes");
        auto gpus = tresGpus(field(f, "AllocTRES"), at);
        TOPOPLAN_TRY(firstError(submit, start, end, nodes, gpus));
        if (*end < *start) return Error(at + ": End is before Start");
        if (*gpus == 0) {
          ++out.skipped;
          return okStatus();
        }
        const long long perNode = (*gpus + *nodes - 1) / *nodes;
        if (perNode > kMaxGpus)
          return Error(at + ": AllocTRES: " + std::to_string(perNode) +
                       " GPUs per node, expected at most 1024");
        TraceJob job{std::string(id),
                     *submit,
                     static_cast<int>(*nodes),
                     static_cast<int>(perNode),
                     *end - *start,
                     0,
                     0,
                     line};
        if (c.count("Priority")) {
          auto p = integer(field(f, "Priority"), 0, 1LL << 40, at + ": Priority");
          if (!p) return p.error();
          job.priority = *p;
        }
        if (c.count("Account")) job.team = std::string(field(f, "Account"));
        setSteps(job, options.bytesPerStep, options.stepS);
        out.jobs.push_back(std::move(job));
        return okStatus();
      },
      trace);
}

}  // namespace

Result<Trace> parseTrace(std::string_view text, const std::string& source,
                         const TraceOptions& options) {
  if (text.find('\0') != std::string_view::npos)
    return Error(source + ": binary data, expected a trace in text");
  if (!(options.stepS > 0) || !std::isfinite(options.stepS))
    return Error("step seconds: expected a number above 0");
  // The first line that is not blank or a comment says the format.
  std::string_view first;
  int firstLine = 0;
  (void)forEachLine(text, [&](int n, std::string_view line) -> Status {
    if (first.empty() && !line.empty() && line.front() != '#') {
      first = line;
      firstLine = n;
    }
    return okStatus();
  });
  const std::string at = source + ":" + std::to_string(firstLine);
  Trace trace;
  if (first.empty()) return Error(source + ": no jobs, expected a trace with a header line");
  if (first.find('|') != std::string_view::npos) {
    trace.format = "sacct";
    TOPOPLAN_TRY(readSacct(text, source, fields(first, '|'), at, options, trace));
  } else if (first.starts_with("job_id,")) {
    trace.format = "kalos";
    TOPOPLAN_TRY(readKalos(text, source, fields(first, ','), at, trace));
  } else if (first.starts_with("submit_s")) {
    const auto header = fields(first, ',');
    const std::vector<std::string_view> expected{"submit_s", "nodes", "gpus_per_node",
                                                 "duration_s"};
    PlainColumns plain{std::string_view::npos, std::string_view::npos, std::string_view::npos,
                       header.size()};
    bool ok = header.size() >= 4 && header.size() <= 7 &&
              std::equal(expected.begin(), expected.end(), header.begin());
    for (std::size_t i = 4; ok && i < header.size(); ++i) {
      std::size_t& slot = header[i] == "bytes_per_step" ? plain.bytes
                          : header[i] == "priority"     ? plain.priority
                          : header[i] == "team"         ? plain.team
                                                        : plain.count;
      ok = &slot != &plain.count && slot == std::string_view::npos;
      slot = i;
    }
    if (!ok) {
      return Error(at +
                   ": expected the header submit_s,nodes,gpus_per_node,duration_s, then "
                   "bytes_per_step, priority and team (each optional, once)");
    }
    trace.format = "csv";
    TOPOPLAN_TRY(readPlainCsv(text, source, true, plain, options, trace));
  } else if (first.find(',') != std::string_view::npos &&
             (std::isdigit(static_cast<unsigned char>(first.front())) || first.front() == '.')) {
    trace.format = "csv";
    TOPOPLAN_TRY(readPlainCsv(text, source, false, PlainColumns{}, options, trace));
  } else {
    return Error(
        at +
        ": not a trace: expected a Kalos header (job_id,arrival_time,...), "
        "submit_s,nodes,gpus_per_node,duration_s[,bytes_per_step][,priority][,team], or sacct "
        "--parsable2 output (JobID|Submit|Start|End|NNodes|AllocTRES)");
  }
  if (trace.jobs.empty()) return Error(source + ": no jobs to replay");
  std::stable_sort(trace.jobs.begin(), trace.jobs.end(),
                   [](const TraceJob& a, const TraceJob& b) { return a.submitS < b.submitS; });
  const double origin = trace.jobs.front().submitS;
  for (TraceJob& job : trace.jobs) job.submitS -= origin;
  return trace;
}

Result<std::vector<HostFailure>> parseFailureLog(std::string_view text, const std::string& source,
                                                 const Topology& topology) {
  std::vector<HostFailure> failures;
  TOPOPLAN_TRY(forEachLine(text, [&](int lineNumber, std::string_view line) -> Status {
    if (line.empty() || line.front() == '#') return okStatus();
    const std::string at = source + ":" + std::to_string(lineNumber);
    const std::vector<std::string_view> cells = fields(line, ',');
    if (failures.empty() && !cells.empty() && cells[0] == "host") return okStatus();
    if (cells.size() != 3) return Error(at + ": expected host,down_s,up_s");
    HostFailure failure;
    failure.host = topology.hostIndex(std::string(cells[0]));
    if (failure.host < 0)
      return Error(at + ": '" + std::string(cells[0]) + "' is not a host of the cluster");
    auto down = number(cells[1], 0, 1e12, at + ": down_s");
    if (!down) return down.error();
    failure.downS = *down;
    failure.upS = std::numeric_limits<double>::infinity();
    if (!cells[2].empty()) {
      auto up = number(cells[2], 0, 1e12, at + ": up_s");
      if (!up) return up.error();
      if (*up <= *down)
        return Error(at + ": up_s " + std::string(cells[2]) + " is not after down_s");
      failure.upS = *up;
    }
    failures.push_back(failure);
    return okStatus();
  }));
  return failures;
}

}  // namespace topoplan
