// How much memory a run may use and whether its arrays fit; how the C library keeps freed memory
// (chapter 09), and OpenBLAS's buffers under a limit on the address space. A training loop that
// builds the same large temporaries at every step (a 100 × 300 hidden layer is 240 KB) frees them
// at the end of the step; glibc returns such memory to the system at once and asks for it again at
// the next step, and every 4 KB page of it then costs a page fault: in chapter 9 that was a third
// of the run.
#pragma once
#include <cstddef>
#include <string>

namespace nn {

// Blocks up to `bytes` come from the heap, and up to `bytes` of free memory stay there for
// reuse instead of going back to the system. No effect on any number a program computes.
void reuse_freed_memory(std::size_t bytes = std::size_t{64} << 20);

// OpenBLAS 0.3.21 (Debian 12's) takes a buffer of 128 MiB of address space for each thread that
// multiplies: for its helper threads when they start, before main, and for any other thread at
// its first product. Under a `ulimit -v` too small for it, it retries for ever, and at exit it
// waits for a helper stuck so (fixed in later OpenBLAS). A thread that multiplies also takes a
// stack and, for its allocations, a heap of its own (64 MiB of address space).
inline constexpr double kBlasBuffer = (128.0 + 0.0625) * (1 << 20);
inline constexpr double kThreadAddressSpace = kBlasBuffer + (8.0 + 64.0) * (1 << 20);

// The address space the process may still map: its limit (RLIMIT_AS) less what it maps now
// (/proc/self/statm; without /proc, the largest mapping the kernel grants); infinity without a
// limit.
double address_space_left();

// Executes this program again with `argv` and `envp`: /proc/self/exe, or without /proc the name
// it was started by. Returns (errno) only when neither runs.
int execute_self(char** argv, char** envp);

// Run before OpenBLAS starts (cli.cpp calls it from .preinit_array, with main's argv and
// environment): under an address-space limit, OpenBLAS gets at most as many threads as fit in
// half of it. The C library sets up the environment OpenBLAS reads only after this runs, so when
// OPENBLAS_NUM_THREADS must change, the program starts again (execute_self) with the new value;
// when it cannot, it ends here with one line and exit 2 rather than wait for ever.
void fit_blas_threads_to_address_space(char** argv, char** envp);

// Under an address-space limit, takes the calling thread's BLAS buffer now (one small product),
// so that no later product waits for ever; throws MemoryError, saying how much is missing, when
// the buffer would not fit. Without a limit it does nothing.
void reserve_blas_buffer();

// The memory a run may still use: the machine's physical memory (sysconf), or less when the
// process is held to less (what `ulimit -v` leaves of the address space, with OpenBLAS's
// buffers taken; a container's cgroup memory.max).
double memory_limit_bytes();
// "" when `bytes` fits in memory_limit_bytes(); otherwise why not, with both sizes in GiB and
// the limit named (physical memory, ulimit -v, the cgroup's memory.max).
std::string memory_shortfall(double bytes);
// Refuses (UsageError naming `what`, a flag or a file) a run whose largest arrays alone would
// take `bytes`, when that exceeds memory_limit_bytes(): better a line now than a crash later.
void check_memory(double bytes, const std::string& what);

}  // namespace nn
