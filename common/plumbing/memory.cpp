#include "common/plumbing/memory.hpp"

#include <malloc.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <armadillo>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/nn/errors.hpp"

namespace nn {

void reuse_freed_memory(std::size_t bytes) {
  const int limit = bytes > INT_MAX ? INT_MAX : static_cast<int>(bytes);
  mallopt(M_MMAP_THRESHOLD, limit);  // blocks below this come from the heap, not mmap
  mallopt(M_TRIM_THRESHOLD, limit);  // free memory at the heap's top kept up to this much
}

namespace {

// RLIMIT_AS in bytes, or infinity.
double address_space_limit() {
  rlimit as{};
  if (::getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY)
    return std::numeric_limits<double>::infinity();
  return static_cast<double>(as.rlim_cur);
}

// The mapped size of the process from /proc/self/statm (in pages, first), or -1 without /proc.
double mapped_bytes() {
  std::ifstream statm("/proc/self/statm");
  double pages = -1;
  if (!(statm >> pages)) return -1;
  return pages * static_cast<double>(::sysconf(_SC_PAGE_SIZE));
}

// Without /proc (a bare container or chroot), the largest mapping the kernel grants, to a MiB:
// a mapping of no memory (PROT_NONE) fails exactly when it would pass the address-space limit.
double largest_mapping(double limit) {
  constexpr double MiB = 1 << 20;
  double low = 0, high = limit;  // low is granted, high is not
  while (high - low > MiB) {
    const double middle = std::floor((low + high) / 2 / MiB) * MiB;
    void* p = ::mmap(nullptr, static_cast<std::size_t>(middle), PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    (p == MAP_FAILED ? high : low) = middle;
    if (p != MAP_FAILED) ::munmap(p, static_cast<std::size_t>(middle));
  }
  return low;
}

}  // namespace

double address_space_left() {
  const double limit = address_space_limit();
  if (std::isinf(limit)) return limit;
  const double mapped = mapped_bytes();
  return mapped < 0 ? largest_mapping(limit) : limit - mapped;
}

int execute_self(char** argv, char** envp) {
  ::execve("/proc/self/exe", argv, envp);
  // Without /proc: the name the program was started by (the kernel keeps it for the process;
  // a relative name still holds, the working directory has not changed yet).
  if (const auto* name = reinterpret_cast<const char*>(::getauxval(AT_EXECFN)); name != nullptr)
    ::execve(name, argv, envp);
  return errno;
}

void fit_blas_threads_to_address_space(char** argv, char** envp) {
  const double limit = address_space_limit();
  if (std::isinf(limit)) return;
  const long cores = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
  const long fit = std::clamp(static_cast<long>(limit / 2 / kThreadAddressSpace), 1L, cores);
  // (getenv and setenv would not do yet: the C library has not set up the environment)
  const std::string_view name = "OPENBLAS_NUM_THREADS=";
  std::vector<char*> env;
  for (char** e = envp; *e != nullptr; ++e) {
    if (!std::string_view(*e).starts_with(name)) {
      env.push_back(*e);
    } else if (const long asked = std::strtol(*e + name.size(), nullptr, 10);
               asked >= 1 && asked <= fit) {
      return;  // already within what fits
    }
  }
  std::string threads = std::string(name) + std::to_string(fit);
  env.push_back(threads.data());
  env.push_back(nullptr);
  const int error = execute_self(argv, env.data());
  // Going on would leave OpenBLAS a thread whose buffer does not fit, waited for for ever.
  const std::string_view program = argv[0] != nullptr ? argv[0] : "";
  const std::string line = fmt::format(
      "{}: the address-space limit (ulimit -v) allows {} OpenBLAS thread(s), but the program "
      "could not start again with {} ({}): set it yourself\n",
      program.substr(program.rfind('/') + 1), fit, threads, std::strerror(error));
  [[maybe_unused]] const auto written = ::write(2, line.data(), line.size());
  ::_exit(2);
}

void reserve_blas_buffer() {
  const double left = address_space_left();
  if (std::isinf(left)) return;
  const double needed = kBlasBuffer + (16 << 20);  // and a little to run in
  if (left < needed) {
    constexpr double MiB = 1 << 20;
    throw MemoryError(fmt::format(
        "not enough memory: the address-space limit (ulimit -v) of {:.0f} MiB leaves {:.0f} "
        "MiB, and OpenBLAS's buffer alone needs {:.0f} MiB",
        address_space_limit() / MiB, left / MiB, needed / MiB));
  }
  const arma::mat A(32, 32, arma::fill::ones);
  const arma::mat product = A * A;  // large enough for BLAS, which takes its buffer here
}

namespace {

// The smallest of the limits on the memory a run may use, and how a message names it.
struct MemoryLimit {
  double bytes;
  const char* name;
};

MemoryLimit memory_limit() {
  MemoryLimit limit{static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE),
                    "of the machine's physical memory"};
  if (const double left = address_space_left(); left < limit.bytes)
    limit = {left, "that the address-space limit (ulimit -v) leaves"};
  // cgroup v2 holds "max" or a number of bytes.
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  if (double bytes = 0; cgroup >> bytes && bytes < limit.bytes)
    limit = {bytes, "that the container's memory limit (cgroup memory.max) allows"};
  return limit;
}

}  // namespace

double memory_limit_bytes() {
  return memory_limit().bytes;
}

std::string memory_shortfall(double bytes) {
  const MemoryLimit limit = memory_limit();
  if (bytes <= limit.bytes) return "";
  // GiB to a tenth; MiB below a GiB, where tenths of a GiB would read "0.1, more than 0.1"
  const auto size = [](double b) {
    constexpr double MiB = 1024.0 * 1024.0, GiB = 1024.0 * MiB;
    return b >= GiB ? fmt::format("{:.1f} GiB", b / GiB) : fmt::format("{:.0f} MiB", b / MiB);
  };
  return "needs about " + size(bytes) + " of memory, more than the " +
         size(std::max(limit.bytes, 0.0)) + " " + limit.name;
}

void check_memory(double bytes, const std::string& what) {
  if (const std::string problem = memory_shortfall(bytes); !problem.empty())
    throw UsageError(what + ": this run " + problem);
}

}  // namespace nn
