#include "common/plumbing/number_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace nn {

std::string fixed(double x, int decimals) {
  if (std::isfinite(x) && std::abs(x) < 1e9) return fmt::format("{:.{}f}", x, decimals);
  return fmt::format("{:.5g}", x);
}

}  // namespace nn
