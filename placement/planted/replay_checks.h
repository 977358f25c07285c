// What must hold of any replay, whatever the cluster, trace, policy and queue: the replay tests,
// the property test and the planner's fuzz target judge replay() with it.
//   - every job either ran or was counted as bigger than the cluster;
//   - a job starts no earlier than it was submitted and runs for its compute plus its
//     communication, on as many distinct existing hosts as it asked for;
//   - no host ever holds more GPUs than it has;
//   - FIFO starts the jobs of one priority in submission order;
//   - a run stopped by preemption stops as a job of higher priority starts on one of its hosts;
//   - restarts, preemptions and lost work are the runs';
//   - the utilization integral equals the jobs' GPU-seconds.
#pragma once

#include <string>
#include <vector>

#include "placement/topology.h"
#include "placement/whatif/replay.h"

namespace topoplan {

// The violations, in words (empty: none).
std::vector<std::string> replayViolations(const Topology& topology,
                                          const std::vector<TraceJob>& jobs, const ReplayRun& run,
                                          bool fifo);

}  // namespace topoplan
