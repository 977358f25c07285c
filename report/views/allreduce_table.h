// The nccl-tests table layout for AllReduce records: one row per (size, type, op) with
// out-of-place and in-place columns side by side, one block per algorithm.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/allreduce_record.h"

namespace topoplan {

// Column headers (three comment lines).
std::string allreduceTableHeader();

// One row for a size's out-of-place and/or in-place record (either may be null).
std::string allreduceTableRow(const AllreduceRecord* outOfPlace, const AllreduceRecord* inPlace);

// Rows built as records arrive in a sweep's order (out-of-place, then its in-place partner):
// add() returns the rows that are complete, flush() a held out-of-place record's row.
class AllreduceRowBuilder {
 public:
  std::string add(const AllreduceRecord& record);
  std::string flush();

 private:
  std::optional<AllreduceRecord> held_;
};

// The mean bus bandwidth over all records (nccl-tests' "Avg bus bandwidth").
double averageBusbw(const std::vector<AllreduceRecord>& records);

// A whole block: a title line, the header, one row per size, and the average bus bandwidth.
std::string allreduceTable(const std::string& title, const std::vector<AllreduceRecord>& records);

}  // namespace topoplan
