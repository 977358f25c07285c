// The algorithms written against Comm, by name. Library adapters (mpi, nccl) are added by the
// command line, which owns the native handles they need.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "allreduce/algorithm.h"

namespace topoplan {

// "ring", "rhd", "tree".
const std::vector<std::string_view>& ownAlgorithmNames();

// nullptr when `name` is not one of ownAlgorithmNames().
std::unique_ptr<AllreduceAlgorithm> makeOwnAlgorithm(std::string_view name,
                                                     AlgorithmOptions options = {});

}  // namespace topoplan
