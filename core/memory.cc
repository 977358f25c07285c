#include "core/memory.h"

#include <unistd.h>

namespace topoplan {

std::uint64_t physicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || pageSize <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(pageSize);
}

Status checkFitsInMemory(std::uint64_t bytes, const std::string& what) {
  const std::uint64_t physical = physicalMemoryBytes();
  if (physical == 0 || bytes <= physical / 2) return okStatus();
  return Error(what + ": " + std::to_string(bytes) +
               " bytes exceed half of this machine's memory (" + std::to_string(physical) +
               " bytes): expected less");
}

}  // namespace topoplan
