// Reading the real inputs kept in tests/data (TOPOPLAN_TEST_DATA is that folder) from unit tests,
// and scratch files that a test writes and that go away with it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace topoplan {

inline std::string readTestData(const std::string& name) {
  std::ifstream in(std::string(TOPOPLAN_TEST_DATA) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A file in the temporary directory, named per process, holding `text`; removed on destruction
// (also when an assertion ends the test early).
class ScratchFile {
 public:
  ScratchFile(const std::string& name, const std::string& text)
      : path_((std::filesystem::temp_directory_path() /
               ("topoplan-" + std::to_string(::getpid()) + "-" + name))
                  .string()) {
    write(text);
  }
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  void write(const std::string& text) const { std::ofstream(path_, std::ios::trunc) << text; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace topoplan
