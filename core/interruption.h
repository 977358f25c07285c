// Interruption: why a run under mpirun ended before it measured everything. Its document keeps
// what was measured and says so ("incomplete": true, with the reason and the lost ranks), so
// that a partial result is never taken for a whole one.
#pragma once

#include <string>
#include <vector>

namespace topoplan {

struct Interruption {
  std::string reason;          // the error that ended the run, with what it was doing
  std::vector<int> lostRanks;  // ranks that did not answer rank 0's roll call
};

}  // namespace topoplan
