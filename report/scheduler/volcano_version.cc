#include "report/scheduler/volcano_version.h"

#include <cstdio>

namespace topoplan {

Result<VolcanoVersion> parseVolcanoVersion(const std::string& text) {
  const std::string digits = !text.empty() && text[0] == 'v' ? text.substr(1) : text;
  VolcanoVersion version;
  int used = 0;
  if (std::sscanf(digits.c_str(), "%d.%d%n", &version.major, &version.minor, &used) != 2 ||
      version.major < 0 || version.minor < 0 ||
      (static_cast<std::size_t>(used) != digits.size() &&
       digits[static_cast<std::size_t>(used)] != '.'))
    return Error("--volcano-version '" + text + "': expected MAJOR.MINOR, e.g. 1.14");
  if (version.major < 1 || (version.major == 1 && version.minor < 12))
    return Error("--volcano-version " + text +
                 ": HyperNodes and Job.spec.networkTopology need Volcano 1.12 or later");
  return version;
}

}  // namespace topoplan
