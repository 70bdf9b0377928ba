#include "common/errors.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace nn {

void check_finite(double cost, long iteration, const std::string& what) {
  if (std::isfinite(cost)) return;
  std::ostringstream msg;
  msg << "training diverged at iteration " << iteration << ": " << what << " is "
      << (std::isnan(cost) ? "NaN" : "inf") << " (try a smaller --lr)";
  throw DivergedError(msg.str(), iteration);
}

double memory_limit_bytes() {
  double limit = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
  if (rlimit as{}; getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
    limit = std::min(limit, static_cast<double>(as.rlim_cur));
  // cgroup v2 holds "max" or a number of bytes.
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  if (double bytes = 0; cgroup >> bytes) limit = std::min(limit, bytes);
  return limit;
}

std::string memory_shortfall(double bytes) {
  const double limit = memory_limit_bytes();
  if (bytes <= limit) return "";
  constexpr double GiB = 1024.0 * 1024.0 * 1024.0;
  return fmt::format("needs about {:.1f} GiB of memory, more than the {:.1f} GiB available",
                     bytes / GiB, limit / GiB);
}

void check_memory(double bytes, const std::string& what) {
  if (const std::string problem = memory_shortfall(bytes); !problem.empty())
    throw UsageError(what + ": this run " + problem);
}

}  // namespace nn
