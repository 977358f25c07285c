// What the document checkers of the mpirun tests share: reading the document and counting the
// expectations it fails, each reported on stderr.
#pragma once

#include <cstdio>
#include <string>

namespace topoplan {

class Expectations {
 public:
  void operator()(bool ok, const std::string& what) {
    if (ok) return;
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    ++failures_;
  }
  int failures() const { return failures_; }

 private:
  int failures_ = 0;
};

}  // namespace topoplan
