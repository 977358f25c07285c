// PCI bus ids as sysfs and hwloc write them ("0000:1b:00.0"), whatever form they came in.
#pragma once

#include <cctype>
#include <string>

namespace topoplan {

// "00000000:1B:00.0" (CUDA, nvidia-smi) or "0000:1b:00.0" (hwloc, sysfs) as sysfs names it.
inline std::string normalizeBusId(const std::string& busId) {
  std::string id;
  for (char c : busId) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // The domain has 4 hex digits in sysfs, 8 in CUDA's and nvidia-smi's form.
  if (const std::size_t colon = id.find(':'); colon != std::string::npos && colon > 4) {
    id.erase(0, colon - 4);
  }
  return id;
}

}  // namespace topoplan
