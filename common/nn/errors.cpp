#include "common/nn/errors.hpp"

#include <algorithm>
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

void check_penalty_step(double learning_rate, double lambda, double n, const std::string& lr_flag,
                        const std::string& lambda_flag) {
  const double step = learning_rate * lambda / n;
  if (step < 2) return;
  const char* const product = n == 1 ? "α·λ" : "α·λ/n";
  std::ostringstream msg;  // numbers as {:g} writes them: six significant digits
  msg << "training would diverge: with " << lambda_flag << ' ' << lambda << " and " << lr_flag
      << ' ' << learning_rate;
  if (n != 1) msg << " on " << n << " training samples";
  msg << ", the penalty alone multiplies the weights by 1 - " << product << " = " << 1 - step
      << " at every step (make " << product << " smaller than 2: a smaller " << lambda_flag
      << " or " << lr_flag << ")";
  throw DivergedError(msg.str(), 0);
}

}  // namespace nn
