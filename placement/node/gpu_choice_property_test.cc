// chooseGpus over planted nodes of every kind, every free state drawn and every size: the choice
// is the requested number of distinct free GPUs, its ring is the exhaustive optimum over all sets,
// and it is never worse than the first free GPUs.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>

#include "placement/node/gpu_choice.h"
#include "placement/planted/node_generator.h"

namespace topoplan {
namespace {

RC_GTEST_PROP(GpuChoiceProperty, TheChoiceIsFreeAndItsRingTheOptimum, ()) {
  const NodeKind kind =
      *rc::gen::elementOf(std::vector<NodeKind>(std::begin(kNodeKinds), std::end(kNodeKinds)));
  std::mt19937_64 rng(*rc::gen::inRange<std::uint64_t>(1, 1000000));
  const PlantedNode node = plantNode(kind, rng);
  const int count = *rc::gen::inRange(1, node.freeGpus() + 1);
  RC_TAG(name(kind), count);
  const auto choice = chooseGpus(node.model, node.busy, count);
  RC_ASSERT(choice.ok());
  RC_ASSERT(static_cast<int>(choice->gpus.size()) == count);
  std::vector<int> free;
  for (std::size_t g = 0; g < node.model.size(); ++g)
    if (!node.busy[g]) free.push_back(static_cast<int>(g));
  for (int g : choice->gpus) RC_ASSERT(!node.busy[static_cast<std::size_t>(g)]);
  RC_ASSERT(std::adjacent_find(choice->gpus.begin(), choice->gpus.end()) == choice->gpus.end());
  RC_ASSERT(choice->ringGbps == exhaustiveRingGbps(node.model, choice->gpus));
  RC_ASSERT(choice->ringGbps >= optimumRingGbps(node.model, free, count));
  const std::vector<int> firstFree(free.begin(), free.begin() + count);
  RC_ASSERT(choice->ringGbps >= describeGpus(node.model, firstFree).ringGbps);
  RC_ASSERT(choice->nics.size() == choice->gpus.size());
}

}  // namespace
}  // namespace topoplan
