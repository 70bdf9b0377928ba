#include "common/errors.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/memory.hpp"

namespace nn {

void check_finite(double cost, long iteration, const std::string& what) {
  if (std::isfinite(cost)) return;
  std::ostringstream msg;
  msg << "training diverged at iteration " << iteration << ": " << what << " is "
      << (std::isnan(cost) ? "NaN" : "inf") << " (try a smaller --lr)";
  throw DivergedError(msg.str(), iteration);
}

void check_penalty_step(double learning_rate, double lambda, double n, const std::string& lr_flag,
                        const std::string& lambda_flag) {
  const double step = learning_rate * lambda / n;
  if (step < 2) return;
  throw DivergedError(
      fmt::format("training would diverge: with {} {:g} and {} {:g}{}, the penalty alone "
                  "multiplies the weights by 1 - {} = {:g} at every step (make {} smaller than 2: "
                  "a smaller {} or {})",
                  lambda_flag, lambda, lr_flag, learning_rate,
                  n == 1 ? "" : fmt::format(" on {:g} training samples", n),
                  n == 1 ? "α·λ" : "α·λ/n", 1 - step, n == 1 ? "α·λ" : "α·λ/n", lambda_flag,
                  lr_flag),
      0);
}

double memory_limit_bytes() {
  double limit = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
  limit = std::min(limit, address_space_left());
  // cgroup v2 holds "max" or a number of bytes.
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  if (double bytes = 0; cgroup >> bytes) limit = std::min(limit, bytes);
  return limit;
}

std::string memory_shortfall(double bytes) {
  const double limit = memory_limit_bytes();
  if (bytes <= limit) return "";
  // GiB to a tenth; MiB below a GiB, where tenths of a GiB would read "0.1, more than 0.1"
  const auto size = [](double b) {
    constexpr double MiB = 1024.0 * 1024.0, GiB = 1024.0 * MiB;
    return b >= GiB ? fmt::format("{:.1f} GiB", b / GiB) : fmt::format("{:.0f} MiB", b / MiB);
  };
  return "needs about " + size(bytes) + " of memory, more than the " + size(std::max(limit, 0.0)) +
         " available";
}

void check_memory(double bytes, const std::string& what) {
  if (const std::string problem = memory_shortfall(bytes); !problem.empty())
    throw UsageError(what + ": this run " + problem);
}

}  // namespace nn
