#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/memory.h"

namespace topoplan {
namespace {

Error systemError(const std::string& path, const char* action, int error) {
  return Error(path + ": cannot " + action + ": " + std::strerror(error));
}

}  // namespace

Status writeFileAtomic(const std::string& path, std::string_view content) {
  if (path.empty()) return Error("output path is empty: expected a file name");
  const std::filesystem::path target(path);
  const std::filesystem::path dir =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string tempName = target.filename().string();
  tempName.insert(0, 1, '.');
  tempName.append(".tmp.XXXXXX");
  std::string temp = (dir / tempName).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) return systemError(path, "create a temporary file beside it", errno);
  auto fail = [&](const char* action) {
    const int error = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    return systemError(path, action, error);
  };
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0) return fail("set permissions on");
  if (::fsync(fd) != 0) return fail("flush");
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return systemError(path, "close", error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return systemError(path, "rename the temporary file to", error);
  }
  return okStatus();
}

Result<std::string> readFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Error(path + ": is a directory, expected a file");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) TOPOPLAN_TRY(checkFitsInMemory(size, path));
  std::ifstream in(path, std::ios::binary);
  if (!in) return systemError(path, "open", errno);
  std::string text;
  if (!ec) {  // a regular file: one read of its size (a stream copy is ten times slower)
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return systemError(path, "read", errno);
    if (in.peek() == std::char_traits<char>::eof()) return text;
    in.clear();
  }
  std::ostringstream rest;  // a pipe, or a file that grew
  rest << in.rdbuf();
  if (in.bad()) return systemError(path, "read", errno);
  return text + rest.str();
}

}  // namespace topoplan
