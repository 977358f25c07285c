// The nccl-tests table layout for AllReduce records: one row per (size, type, op) with
// out-of-place and in-place columns side by side, one block per algorithm.
#pragma once

#include <string>
#include <vector>

#include "core/allreduce_record.h"

namespace topoplan {

// Column headers (three comment lines).
std::string allreduceTableHeader();

// One row for a size's out-of-place and/or in-place record (either may be null).
std::string allreduceTableRow(const AllreduceRecord* outOfPlace, const AllreduceRecord* inPlace);

// The mean bus bandwidth over all records (nccl-tests' "Avg bus bandwidth").
double averageBusbw(const std::vector<AllreduceRecord>& records);

// A whole block: a title line, the header, one row per size, and the average bus bandwidth.
std::string allreduceTable(const std::string& title, const std::vector<AllreduceRecord>& records);

}  // namespace topoplan
