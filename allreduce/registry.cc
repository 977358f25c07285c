#include "allreduce/registry.h"

#include "allreduce/rhd.h"
#include "allreduce/ring.h"
#include "allreduce/tree.h"

namespace topoplan {

const std::vector<std::string_view>& ownAlgorithmNames() {
  static const std::vector<std::string_view> kNames = {"ring", "rhd", "tree"};
  return kNames;
}

std::unique_ptr<AllreduceAlgorithm> makeOwnAlgorithm(std::string_view name,
                                                     AlgorithmOptions options) {
  if (name == "ring") return std::make_unique<RingAllreduce>(options);
  if (name == "rhd") return std::make_unique<RhdAllreduce>();
  if (name == "tree") return std::make_unique<TreeAllreduce>(options);
  return nullptr;
}

}  // namespace topoplan
