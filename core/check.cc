#include "core/check.h"

#include <cstdio>
#include <cstdlib>

namespace topoplan {

void checkFailed(const char* file, int line, const char* condition, const std::string& message) {
  std::fprintf(stderr, "topoplan: internal error at %s:%d: %s (%s)\n", file, line, message.c_str(),
               condition);
  std::abort();
}

}  // namespace topoplan
