// Reading the real inputs kept in tests/data (TOPOPLAN_TEST_DATA is that folder) from unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace topoplan {

inline std::string readTestData(const std::string& name) {
  std::ifstream in(std::string(TOPOPLAN_TEST_DATA) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace topoplan
