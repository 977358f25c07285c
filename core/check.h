// Invariant checks that are never compiled out (not for user-caused errors: use Result).
#pragma once

#include <string>

namespace topoplan {

[[noreturn]] void checkFailed(const char* file, int line, const char* condition,
                              const std::string& message);

}  // namespace topoplan

#define TOPOPLAN_CHECK(cond, message)                                \
  do {                                                               \
    if (!(cond)) {                                                   \
      ::topoplan::checkFailed(__FILE__, __LINE__, #cond, (message)); \
    }                                                                \
  } while (0)
