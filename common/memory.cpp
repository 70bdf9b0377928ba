#include "common/memory.hpp"

#include <malloc.h>

#include <climits>

namespace nn {

void reuse_freed_memory(std::size_t bytes) {
  const int limit = bytes > INT_MAX ? INT_MAX : static_cast<int>(bytes);
  mallopt(M_MMAP_THRESHOLD, limit);  // blocks below this come from the heap, not mmap
  mallopt(M_TRIM_THRESHOLD, limit);  // free memory at the heap's top kept up to this much
}

}  // namespace nn
