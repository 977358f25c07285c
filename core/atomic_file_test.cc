#include "core/atomic_file.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace topoplan {
namespace {

namespace fs = std::filesystem;

class AtomicFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("topoplan-atomic-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFile, WritesAndReplacesWithoutLeavingTemporaries) {
  const std::string path = (dir_ / "out.json").string();
  ASSERT_TRUE(writeFileAtomic(path, "first").ok());
  ASSERT_TRUE(writeFileAtomic(path, "second").ok());
  EXPECT_EQ(*readFile(path), "second");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(AtomicFile, FailureNamesThePathAndWritesNothing) {
  const std::string path = (dir_ / "missing" / "out.json").string();
  Status status = writeFileAtomic(path, "data");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find(path), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(AtomicFile, ReadErrorsNameThePath) {
  auto missing = readFile((dir_ / "nope").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("nope"), std::string::npos);
  EXPECT_FALSE(readFile(dir_.string()).ok());
}

}  // namespace
}  // namespace topoplan
