// Checks the document a failed mpirun job wrote: check_incomplete_json FILE LOST_RANK MIN_ENTRIES
// It parses, says "incomplete": true with a reason, lists LOST_RANK (-1: any or none) among
// lost_ranks with its host, and keeps at least MIN_ENTRIES measurements (links or results).
#include <cstdio>
#include <string>

#include "core/atomic_file.h"
#include "core/json_fields.h"
#include "tests/expectations.h"

int main(int argc, char** argv) {
  using namespace topoplan;
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s FILE LOST_RANK MIN_ENTRIES\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int lost = std::stoi(argv[2]);
  const std::size_t minEntries = std::stoul(argv[3]);
  auto doc = readJsonFile(path);
  if (!doc) return std::fprintf(stderr, "%s\n", doc.error().message().c_str()), 1;
  Expectations expect;
  const auto& d = *doc;
  expect(d.value("incomplete", false) == true, "\"incomplete\": true");
  expect(d.contains("incomplete_reason") && d["incomplete_reason"].is_string() &&
             !d["incomplete_reason"].get<std::string>().empty(),
         "a non-empty incomplete_reason");
  bool named = lost < 0;
  if (d.contains("lost_ranks") && d["lost_ranks"].is_array()) {
    for (const auto& rank : d["lost_ranks"]) {
      if (rank.value("rank", -1) == lost && !rank.value("host", std::string()).empty())
        named = true;
    }
  }
  expect(named, "lost_ranks names rank " + std::to_string(lost) + " and its host");
  const char* key = d.contains("links") ? "links" : "results";
  expect(d.contains(key) && d[key].is_array() && d[key].size() >= minEntries,
         std::string("at least ") + std::to_string(minEntries) + " " + key);
  if (expect.failures() == 0) {
    std::printf("OK: %s is marked incomplete (%s), %zu %s kept\n", path.c_str(),
                d["incomplete_reason"].get<std::string>().substr(0, 120).c_str(), d[key].size(),
                key);
  }
  return expect.failures() == 0 ? 0 : 1;
}
