#include "cli/output_path.h"

#include <unistd.h>

#include <filesystem>

namespace topoplan {

Status checkOutputPath(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Error(option + " " + path + ": is a directory, expected a file name");
  }
  const fs::path parent = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : ".";
  if (!fs::is_directory(parent, ec)) {
    return Error(option + " " + path + ": directory " + parent.string() +
                 " does not exist, expected an existing directory");
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    return Error(option + " " + path + ": directory " + parent.string() + " is not writable");
  }
  return okStatus();
}

}  // namespace topoplan
