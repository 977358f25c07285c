#include "report/views/allreduce_table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace topoplan {
namespace {

AllreduceRecord record(std::uint64_t bytes, bool inPlace, double timeUs, double busbw) {
  AllreduceRecord r;
  r.algo = "ring";
  r.bytes = bytes;
  r.count = bytes / 4;
  r.dtype = "float";
  r.op = "sum";
  r.in_place = inPlace;
  r.time_us = summarize({timeUs});
  r.algbw_gbps = busbw / 1.5;
  r.busbw_gbps = busbw;
  return r;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

TEST(AllreduceTable, PairsPlacementsInNcclTestsColumns) {
  auto checked = record(1048576, true, 83.25, 18.9);
  checked.wrong = 0;
  std::string table =
      allreduceTable("ring", {record(1024, false, 12.5, 0.12), record(1024, true, 12.0, 0.13),
                              record(1048576, false, 84.5, 18.6), checked});
  std::istringstream lines(table);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != '#') rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(words(rows[0]),
            (std::vector<std::string>{"1024", "256", "float", "sum", "12.50", "0.08", "0.12", "N/A",
                                      "12.00", "0.09", "0.13", "N/A"}));
  EXPECT_EQ(words(rows[1])[7], "N/A");
  EXPECT_EQ(words(rows[1])[11], "0");
  EXPECT_EQ(rows[0].size(), rows[1].size());
  EXPECT_NE(table.find("# Avg bus bandwidth    : 9.4375"), std::string::npos);
}

TEST(AllreduceTable, RowBuilderPairsPlacementsAndFlushesLoneRecords) {
  AllreduceRowBuilder rows;
  EXPECT_EQ(rows.add(record(64, false, 5, 0.1)), "");  // waits for its in-place partner
  const std::string pair = rows.add(record(64, true, 6, 0.1));
  EXPECT_EQ(words(pair).size(), 12u);
  EXPECT_EQ(rows.add(record(128, false, 5, 0.1)), "");
  const std::string lone = rows.add(record(256, false, 5, 0.1));  // out-of-place only
  EXPECT_EQ(words(lone)[0], "128");
  EXPECT_EQ(words(lone)[8], "-");
  EXPECT_EQ(words(rows.flush())[0], "256");
  EXPECT_EQ(rows.flush(), "");
}

TEST(AllreduceTable, LargeTimesLoseDecimalsNotColumns) {
  const AllreduceRecord big = record(1 << 30, true, 1234567.0, 1);
  std::string row = allreduceTableRow(nullptr, &big);
  EXPECT_EQ(words(row)[4], "-");
  EXPECT_EQ(words(row)[8], "1234567");
}

}  // namespace
}  // namespace topoplan
