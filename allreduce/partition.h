// Splitting a vector of elements into near-equal blocks and into chunks.
#pragma once

#include <algorithm>
#include <cstddef>

namespace topoplan {

struct Span1d {
  std::size_t offset = 0;  // elements
  std::size_t count = 0;
};

// Block `index` of `parts` blocks covering [0, count): the first count % parts blocks hold one
// element more than the rest.
inline Span1d blockOf(std::size_t count, std::size_t parts, std::size_t index) {
  const std::size_t base = count / parts;
  const std::size_t extra = count % parts;
  return {index * base + std::min(index, extra), base + (index < extra ? 1 : 0)};
}

// Number of chunks of at most `chunkElements` that cover `count` elements (at least one, so that
// empty blocks still exchange one empty message and the step structure stays uniform).
inline std::size_t chunkCount(std::size_t count, std::size_t chunkElements) {
  return count == 0 ? 1 : (count + chunkElements - 1) / chunkElements;
}

inline Span1d chunkOf(Span1d block, std::size_t chunkElements, std::size_t index) {
  const std::size_t offset = std::min(block.count, index * chunkElements);
  return {block.offset + offset, std::min(chunkElements, block.count - offset)};
}

}  // namespace topoplan
