// Joining probe documents of one cluster taken on different host sets (a platform team probes
// idle partitions one at a time): `topoplan merge`.
//
// The merged document holds every input's hosts (a host's inventory from the newest input that
// has it), ranks (renumbered one input after another, each naming the input it came from),
// links (their ranks renumbered likewise, each with the time it was measured: its own
// measured_utc, or its input's created_utc), suspects, GPU copies and waivers, and merged_from[]
// {file, created_utc, hosts, links}. Figures for one pair of hosts from several inputs are all
// kept, with their times; readers (topo, place, export) use the newest of them.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace topoplan {

struct ClusterInput {
  std::string source;  // the file, for messages and merged_from
  std::string text;
};

// The merged topoplan.cluster/v1 document as text. Errors (exit 2) name the input and field:
// not a cluster document, an incomplete probe, a link naming a rank the input does not have.
Result<std::string> mergeClusterDocuments(const std::vector<ClusterInput>& inputs,
                                          const std::vector<std::string>& argv);

}  // namespace topoplan
