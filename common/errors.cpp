#include "common/errors.hpp"

#include <cmath>
#include <sstream>

namespace nn {

void check_finite(double cost, long iteration, const std::string& what) {
  if (std::isfinite(cost)) return;
  std::ostringstream msg;
  msg << "training diverged at iteration " << iteration << ": " << what << " is "
      << (std::isnan(cost) ? "NaN" : "inf") << " (try a smaller --lr)";
  throw DivergedError(msg.str(), iteration);
}

}  // namespace nn
