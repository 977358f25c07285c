// Refusing what does not fit before allocating it: buffers sized by options, files read whole.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace topoplan {

// This machine's physical memory in bytes; 0 when the system does not say.
std::uint64_t physicalMemoryBytes();

// Fails when `bytes` exceed half of the physical memory; `what` names what asks for them ("-e:
// two buffers of the largest size", "file.json").
Status checkFitsInMemory(std::uint64_t bytes, const std::string& what);

}  // namespace topoplan
