// Slurm exports of a topology: topology.conf for topology/tree and topology/block, the same as
// topology.yaml (Slurm >= 25.05), and the sbatch line for a planned gang.
//
// Switch and block names are the domain paths rewritten by slurmNameRule() (export_names.h);
// host names must already be valid Slurm node names.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "placement/topology.h"

namespace topoplan {

struct SlurmOptions {
  bool yaml = false;    // topology.yaml instead of topology.conf
  int blockLevel = -1;  // level whose domains become blocks (-1: the finest)
  std::string comment;  // written as '#' lines at the top
};

// One switch per domain of every level; finest-level switches list their nodes, the others their
// child switches; a root switch ("root", else "root-N") over the coarsest level's domains when
// there are several. A topology without levels gets one switch holding every node.
Result<std::string> slurmTree(const Topology& topology, const SlurmOptions& options);

// One block per domain of the block level, in alignedBlockOrder() with empty blocks between
// (slurm_block_order.h), and BlockSizes: the smallest block's node count, then doublings of it
// while they fit in the cluster.
Result<std::string> slurmBlock(const Topology& topology, const SlurmOptions& options);

// "sbatch -N 4 --nodelist=n[01-04] --switches=1@5:00" (tree: the number of finest-level switches
// the gang spans, waiting at most `switchWaitSeconds` for them) or "... --segment=2" (block: the
// largest segment size that divides the gang's node count in every block it touches).
std::string sbatchLine(const Topology& topology, const std::vector<int>& gang, bool block,
                       int blockLevel, int switchWaitSeconds);

// What Slurm does with that line beyond what it says (max_switch_wait; the versions --segment
// needs).
std::string sbatchNote(bool block);

}  // namespace topoplan
