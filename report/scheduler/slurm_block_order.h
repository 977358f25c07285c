// The order of blocks in a topology/block file. Slurm aggregates blocks by their position: blocks
// [m*2^k, (m+1)*2^k) of the file form one level-k aggregate (block_record.c, and
// eval_nodes_block.c's _bblocks_in_same_block), whatever switch is above them. So every domain
// above the block level gets one aligned run of a power-of-two length that holds its blocks and
// nothing else: a domain's children, each padded to a power of two of slots, are laid largest
// first (so each starts at a multiple of its own length), and empty blocks fill the rest.
#pragma once

#include <vector>

#include "placement/topology.h"

namespace topoplan {

// Domain indices of `blockLevel` in file order; -1 for an empty block. No trailing empty blocks.
std::vector<int> alignedBlockOrder(const Topology& topology, int blockLevel);

}  // namespace topoplan
