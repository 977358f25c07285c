#include "report/gate/metrics.h"

#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include "core/atomic_file.h"
#include "core/document.h"
#include "core/json_fields.h"
#include "core/lines.h"
#include "report/documents/allreduce_document.h"

namespace topoplan {
namespace {

using Json = nlohmann::ordered_json;

std::string placement(bool inPlace) {
  return inPlace ? "in-place" : "out-of-place";
}

Metric collectiveMetric(const std::string& collective, const std::string& algo, std::uint64_t bytes,
                        const std::string& dtype, const std::string& op, bool inPlace,
                        double busbw) {
  Metric m;
  m.key = collective + " " + algo + " " + dtype + " " + op + " " + placement(inPlace) + " " +
          std::to_string(bytes);
  m.unit = "busbw_gbps";
  m.value = busbw;
  m.labels = {{"collective", collective},
              {"algo", algo},
              {"dtype", dtype},
              {"op", op},
              {"bytes", std::to_string(bytes)},
              {"in_place", inPlace ? "true" : "false"}};
  return m;
}

Result<MetricSet> fromAllreduce(const Json& document, const std::string& source) {
  auto records = readAllreduceRecords(document, source);
  if (!records) return records.error();
  MetricSet set{source, "allreduce", {}, {}};
  for (const AllreduceRecord& r : *records) {
    Metric m =
        collectiveMetric("allreduce", r.algo, r.bytes, r.dtype, r.op, r.in_place, r.busbw_gbps);
    m.noise = relativeSpread(r.time_us.p10, r.time_us.p90, r.time_us.median);
    m.samples = static_cast<int>(r.time_us.samples);
    // busbw is bytes over time: each iteration's, scaled from the record's figure.
    for (double us : r.samples_us)
      if (us > 0) m.sampleValues.push_back(r.busbw_gbps * r.time_us.median / us);
    set.metrics.push_back(m);
  }
  return set;
}

Result<MetricSet> fromCluster(const Json& document, const std::string& source) {
  auto links = arrayField(document, source, "links");
  if (!links) return links.error();
  MetricSet set{source, "cluster", {}, {}};
  for (std::size_t i = 0; i < (*links)->size(); ++i) {
    const Json& link = (**links)[i];
    const std::string where = source + ".links[" + std::to_string(i) + "]";
    if (!link.is_object()) return Error(where + ": expected an object");
    std::uint64_t a = 0, b = 0, samples = 0;
    std::string hostA, hostB, path, probe;
    TOPOPLAN_TRY(readField(link, where, "a", a));
    TOPOPLAN_TRY(readField(link, where, "b", b));
    TOPOPLAN_TRY(readField(link, where, "host_a", hostA));
    TOPOPLAN_TRY(readField(link, where, "host_b", hostB));
    TOPOPLAN_TRY(readField(link, where, "path", path));
    TOPOPLAN_TRY(readField(link, where, "probe", probe));
    TOPOPLAN_TRY(readField(link, where, "samples", samples));
    auto bw = objectField(link, where, "bw_gbps");
    if (!bw) return bw.error();
    double median = 0, p10 = 0, p90 = 0;
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "median", median));
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "p10", p10));
    TOPOPLAN_TRY(readField(**bw, where + ".bw_gbps", "p90", p90));
    Metric m;
    const std::string ends =
        std::to_string(a) + "@" + hostA + "<->" + std::to_string(b) + "@" + hostB;
    m.key = "link " + ends + " " + probe + " " + path;
    m.unit = "bw_gbps";
    m.value = median;
    m.noise = relativeSpread(p10, p90, median);
    m.samples = static_cast<int>(samples);
    if (link.contains("bw_samples_gbps"))
      TOPOPLAN_TRY(readNonNegativeNumbers(link, where, "bw_samples_gbps", m.sampleValues));
    m.labels = {{"a", std::to_string(a)}, {"b", std::to_string(b)}, {"host_a", hostA},
                {"host_b", hostB},        {"probe", probe},         {"path", path}};
    set.metrics.push_back(m);
  }
  return set;
}

// "all_reduce_perf", "AllReduce", "nccl_allreduce.log" -> "allreduce"; empty if none is named.
std::string collectiveIn(std::string text) {
  std::string squeezed;
  for (char c : text) {
    if (std::isalpha(static_cast<unsigned char>(c))) squeezed += static_cast<char>(std::tolower(c));
  }
  for (const char* name : {"allreduce", "allgather", "reducescatter", "alltoall", "broadcast",
                           "reduce", "sendrecv", "gather", "scatter", "hypercube"}) {
    if (squeezed.find(name) != std::string::npos) return name;
  }
  return "";
}

Result<MetricSet> fromNcclTestsJson(const Json& document, const std::string& source) {
  const Json* results = &document;
  if (document.is_object()) {
    auto it = document.find("results");
    if (it == document.end() || !it->is_array())
      return Error(source +
                   ": expected a topoplan document (\"schema\") or nccl-tests -J JSON "
                   "(\"results\": [...])");
    results = &*it;
  }
  MetricSet set{source, "nccl-tests", {}, {}};
  std::set<std::string> seen;
  for (std::size_t i = 0; i < results->size(); ++i) {
    const Json& row = (*results)[i];
    const std::string where = source + ".results[" + std::to_string(i) + "]";
    if (!row.is_object()) return Error(where + ": expected an object");
    std::uint64_t size = 0;
    double busbw = 0;
    std::string type = "float", redop = "none", name;
    TOPOPLAN_TRY(readField(row, where, "size", size));
    TOPOPLAN_TRY(readField(row, where, "busBw", busbw));
    if (row.contains("type")) TOPOPLAN_TRY(readField(row, where, "type", type));
    if (row.contains("redop")) TOPOPLAN_TRY(readField(row, where, "redop", redop));
    if (row.contains("name")) TOPOPLAN_TRY(readField(row, where, "name", name));
    bool inPlace = false;
    if (auto it = row.find("inPlace"); it != row.end())
      inPlace = it->is_boolean() ? it->get<bool>() : (it->is_number() && it->get<double>() != 0);
    std::string collective = collectiveIn(name);
    if (collective.empty()) collective = collectiveIn(source);
    if (collective.empty()) collective = "unknown";
    if (size == 0) continue;
    Metric m = collectiveMetric(collective, "nccl", size, type, redop, inPlace, busbw);
    if (seen.insert(m.key).second) set.metrics.push_back(m);
  }
  if (set.metrics.empty()) return Error(source + ": no nccl-tests results with a size above 0");
  return set;
}

bool parseNumber(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0' && std::isfinite(out);
}

}  // namespace

double relativeSpread(double p10, double p90, double median) {
  return median > 0 && p90 >= p10 ? (p90 - p10) / median : 0;
}

Result<MetricSet> parseNcclTestsLog(const std::string& text, const std::string& source) {
  MetricSet set{source, "nccl-tests", {}, {}};
  std::string collective;
  bool header = false;
  std::set<std::string> seen;
  Status status = forEachLine(text, [&](int number, std::string_view line) -> Status {
    const std::string where = source + ":" + std::to_string(number);
    if (line.rfind("#", 0) == 0) {
      if (line.find("Collective test starting") != std::string_view::npos ||
          line.find("_perf") != std::string_view::npos) {
        if (std::string c = collectiveIn(std::string(line)); !c.empty()) collective = c;
      }
      if (line.find("busbw") != std::string_view::npos &&
          line.find("algbw") != std::string_view::npos)
        header = true;
      return okStatus();
    }
    if (!header) return okStatus();
    std::istringstream words{std::string(line)};
    std::vector<std::string> w;
    for (std::string word; words >> word;) w.push_back(word);
    // size count type [redop] [root] time algbw busbw wrong time algbw busbw wrong (all_gather
    // and alltoall print no redop)
    if (w.size() < 11 || w.size() > 13) return okStatus();  // NCCL INFO lines and the like
    double size = 0, count = 0;
    if (!parseNumber(w[0], size) || !parseNumber(w[1], count)) return okStatus();
    const std::size_t first = w.size() - 8;  // out-of-place time column
    double oopBusbw = 0, ipBusbw = 0;
    if (!parseNumber(w[first + 2], oopBusbw) || !parseNumber(w[first + 6], ipBusbw))
      return Error(where + ": expected busbw numbers in columns " + std::to_string(first + 3) +
                   " and " + std::to_string(first + 7));
    if (size < 0 || size > 1e18 || oopBusbw < 0 || ipBusbw < 0)
      return Error(where + ": expected a size and bandwidths >= 0");
    if (size == 0) return okStatus();
    if (collective.empty()) collective = collectiveIn(source);
    const std::string name = collective.empty() ? "unknown" : collective;
    for (bool inPlace : {false, true}) {
      Metric m =
          collectiveMetric(name, "nccl", static_cast<std::uint64_t>(size), w[2],
                           w.size() >= 12 ? w[3] : "none", inPlace, inPlace ? ipBusbw : oopBusbw);
      if (seen.insert(m.key).second) set.metrics.push_back(m);
    }
    return okStatus();
  });
  if (!status) return status.error();
  if (set.metrics.empty())
    return Error(source +
                 ": no nccl-tests rows (expected a '# size count type redop ... busbw' "
                 "header and rows under it)");
  return set;
}

Result<MetricSet> readMetrics(const std::string& path) {
  auto text = readFile(path);
  if (!text) return text.error();
  const std::size_t first = text->find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Error(path + ": empty file");
  if ((*text)[first] != '{' && (*text)[first] != '[') return parseNcclTestsLog(*text, path);
  auto document = parseJson(*text, path);
  if (!document) return document.error();
  if (document->is_object() && document->contains("schema")) {
    std::string schema;
    TOPOPLAN_TRY(readField(*document, path, "schema", schema));
    Result<MetricSet> set = Error(path + ".schema: '" + schema +
                                  "', expected topoplan.allreduce/v1 or topoplan.cluster/v1");
    if (schema == "topoplan.allreduce/v1") set = fromAllreduce(*document, path);
    if (schema == "topoplan.cluster/v1") set = fromCluster(*document, path);
    if (set) set->incomplete = incompleteReason(*document);
    return set;
  }
  return fromNcclTestsJson(*document, path);
}

}  // namespace topoplan
