#include "report/views/allreduce_table.h"

#include <cmath>
#include <cstdio>

namespace topoplan {
namespace {

// A number in `width` characters with as many decimals (at most 2) as fit, like nccl-tests.
std::string fit(double value, int width) {
  int decimals = 2;
  char buffer[64];
  while (true) {
    std::snprintf(buffer, sizeof buffer, "%*.*f", width, decimals, value);
    if (static_cast<int>(std::string(buffer).size()) <= width || decimals == 0) break;
    --decimals;
  }
  return buffer;
}

std::string placementColumns(const AllreduceRecord* record) {
  if (record == nullptr) return "        -       -       -       -";
  std::string wrong = record->wrong ? std::to_string(*record->wrong) : "N/A";
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, " %8s %7s %7s %7s", fit(record->time_us.median, 8).c_str(),
                fit(record->algbw_gbps, 7).c_str(), fit(record->busbw_gbps, 7).c_str(),
                wrong.c_str());
  return buffer;
}

bool sameRow(const AllreduceRecord& a, const AllreduceRecord& b) {
  return a.algo == b.algo && a.bytes == b.bytes && a.dtype == b.dtype && a.op == b.op;
}

}  // namespace

std::string allreduceTableHeader() {
  return "#                                                       out-of-place                   "
         "     in-place\n"
         "#       size         count    type   redop     time   algbw   busbw  #wrong     time   "
         "algbw   busbw  #wrong\n"
         "#        (B)    (elements)                     (us)  (GB/s)  (GB/s)              (us)  "
         "(GB/s)  (GB/s)\n";
}

std::string allreduceTableRow(const AllreduceRecord* outOfPlace, const AllreduceRecord* inPlace) {
  const AllreduceRecord& any = outOfPlace ? *outOfPlace : *inPlace;
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%12llu  %12llu  %6s  %6s",
                static_cast<unsigned long long>(any.bytes),
                static_cast<unsigned long long>(any.count), any.dtype.c_str(), any.op.c_str());
  return buffer + placementColumns(outOfPlace) + placementColumns(inPlace) + "\n";
}

double averageBusbw(const std::vector<AllreduceRecord>& records) {
  double sum = 0;
  for (const AllreduceRecord& record : records) sum += record.busbw_gbps;
  return records.empty() ? 0.0 : sum / static_cast<double>(records.size());
}

std::string AllreduceRowBuilder::add(const AllreduceRecord& record) {
  if (record.in_place && held_ && sameRow(*held_, record)) {
    std::string row = allreduceTableRow(&*held_, &record);
    held_.reset();
    return row;
  }
  std::string rows = flush();
  if (record.in_place) return rows + allreduceTableRow(nullptr, &record);
  held_ = record;
  return rows;
}

std::string AllreduceRowBuilder::flush() {
  if (!held_) return "";
  std::string row = allreduceTableRow(&*held_, nullptr);
  held_.reset();
  return row;
}

std::string allreduceTable(const std::string& title, const std::vector<AllreduceRecord>& records) {
  std::string table = "# " + title + "\n" + allreduceTableHeader();
  AllreduceRowBuilder rows;
  for (const AllreduceRecord& record : records) table += rows.add(record);
  table += rows.flush();
  char average[64];
  std::snprintf(average, sizeof average, "# Avg bus bandwidth    : %g\n", averageBusbw(records));
  return table + average + "#\n";
}

}  // namespace topoplan
