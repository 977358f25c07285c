// Checks a topoplan.allreduce/v1 document written by an mpirun test:
//   validate_allreduce_json FILE RANKS ALGOS HARDWARE
// e.g. validate_allreduce_json out.json 3 mpi,ring,rhd,tree nccl. Exits 0 when every algorithm
// of ALGOS has checked, correct records with consistent statistics and bandwidths, and every one
// of HARDWARE (those that need a GPU) has them too or is waived with a reason.
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "core/atomic_file.h"
#include "core/data_type.h"
#include "core/json_fields.h"
#include "report/documents/allreduce_document.h"
#include "tests/expectations.h"

int main(int argc, char** argv) {
  using namespace topoplan;
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s FILE RANKS ALGOS HARDWARE\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int ranks = std::stoi(argv[2]);
  auto document = readJsonFile(path);
  if (!document) return std::fprintf(stderr, "%s\n", document.error().message().c_str()), 1;
  auto records = readAllreduceRecords(*document, path);
  if (!records) return std::fprintf(stderr, "%s\n", records.error().message().c_str()), 1;
  const nlohmann::ordered_json& doc = *document;
  Expectations expect;

  expect(doc["ranks"] == ranks, "ranks == " + std::to_string(ranks));
  expect(doc["rank_hosts"].size() == static_cast<std::size_t>(ranks), "one host per rank");
  expect(doc["hosts"].is_array() && !doc["hosts"].empty(), "hosts listed");
  expect(doc["mpi_library"].get<std::string>().find("MPI") != std::string::npos, "MPI library");
  std::set<std::string> seen;
  const double factor = 2.0 * (ranks - 1) / ranks;
  for (const AllreduceRecord& r : *records) {
    const std::string id = r.algo + " " + std::to_string(r.bytes) + (r.in_place ? " ip" : " oop");
    seen.insert(r.algo);
    expect(r.wrong.has_value() && *r.wrong == 0, id + ": checked and no wrong elements");
    expect(r.time_us.min > 0 && r.time_us.min <= r.time_us.p10 &&
               r.time_us.p10 <= r.time_us.median && r.time_us.median <= r.time_us.p90 &&
               r.time_us.p90 <= r.time_us.max,
           id + ": min <= p10 <= median <= p90 <= max");
    expect(
        std::fabs(r.algbw_gbps - r.bytes / (r.time_us.median * 1e3)) <= 1e-9 * (1 + r.algbw_gbps),
        id + ": algbw = bytes / median time");
    expect(std::fabs(r.busbw_gbps - r.algbw_gbps * factor) <= 1e-9 * (1 + r.busbw_gbps),
           id + ": busbw = algbw * 2(n-1)/n");
    auto type = parseDataType(r.dtype);
    expect(type.ok() && r.count * sizeOf(*type) == r.bytes, id + ": bytes = count * type size");
  }
  for (std::string_view algo : splitList(argv[3])) {
    expect(seen.count(std::string(algo)) == 1, "records for " + std::string(algo));
  }
  std::set<std::string> waived;
  for (const auto& item : doc["waived"]) {
    expect(!item["reason"].get<std::string>().empty(), "a waived algorithm has a reason");
    waived.insert(item["algo"].get<std::string>());
  }
  for (std::string_view algo : splitList(argv[4])) {
    const std::string name(algo);
    expect(waived.count(name) + seen.count(name) == 1, name + " measured or waived, not both");
  }
  std::printf("%s: %zu records, %d failures\n", path.c_str(), records->size(), expect.failures());
  return expect.failures() == 0 ? 0 : 1;
}
