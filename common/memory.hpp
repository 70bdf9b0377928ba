// How the C library keeps freed memory (chapter 09). A training loop that builds the same large
// temporaries at every step (a 100 × 300 hidden layer is 240 KB) frees them at the end of the
// step; glibc returns such memory to the system at once and asks for it again at the next step,
// and every 4 KB page of it then costs a page fault: in chapter 9 that was a third of the run.
#pragma once
#include <cstddef>

namespace nn {

// Blocks up to `bytes` come from the heap, and up to `bytes` of free memory stay there for
// reuse instead of going back to the system. No effect on any number a program computes.
void reuse_freed_memory(std::size_t bytes = std::size_t{64} << 20);

}  // namespace nn
