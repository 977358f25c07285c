#include "core/document.h"

#include <gtest/gtest.h>

#include <regex>

namespace topoplan {
namespace {

TEST(Document, HeaderCarriesSchemaToolCommandHostsAndTime) {
  nlohmann::ordered_json header =
      makeDocumentHeader("allreduce", 1, {"topoplan", "allreduce", "--json", "a b.json"}, {"n1"});
  EXPECT_EQ(header["schema"], "topoplan.allreduce/v1");
  EXPECT_EQ(header["tool"]["name"], "topoplan");
  EXPECT_FALSE(header["tool"]["version"].get<std::string>().empty());
  EXPECT_EQ(header["command_line"], "topoplan allreduce --json 'a b.json'");
  EXPECT_EQ(header["hosts"], nlohmann::ordered_json::array({"n1"}));
  EXPECT_TRUE(std::regex_match(header["created_utc"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST(Document, QuotesShellSpecials) {
  EXPECT_EQ(joinCommandLine({"a", "it's", "$(x)", ""}), "a 'it'\\''s' '$(x)' ''");
}

}  // namespace
}  // namespace topoplan
