#include "common/nn/errors.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nn {

void check_cost(double J, long iteration, double saturated, const std::string& what) {
  if (std::isfinite(J) && J <= saturated) return;
  std::ostringstream msg;  // numbers as {:g} writes them: six significant digits
  msg << "training diverged at iteration " << iteration
      << (iteration == 0 ? " (before any step)" : "") << ": " << what << " is ";
  if (std::isnan(J))
    msg << "NaN";
  else
    msg << J;
  if (std::isfinite(J))
    msg << ", past " << saturated << ", where the outputs saturate at exactly 0 or 1";
  throw DivergedError(msg.str(), iteration,
                      iteration == 0 ? Cause::initial_scale : Cause::learning_rate);
}

void check_penalty_step(double learning_rate, double lambda, double n) {
  const double step = learning_rate * lambda / n;
  if (step < 2) return;
  const char* const product = n == 1 ? "α·λ" : "α·λ/n";
  std::ostringstream msg;  // numbers as {:g} writes them: six significant digits
  msg << "training would diverge: with λ = " << lambda << " and α = " << learning_rate;
  if (n != 1) msg << " on n = " << n << " training samples";
  msg << ", the penalty alone multiplies the weights by 1 - " << product << " = " << 1 - step
      << " at every step: " << product << " must be below 2";
  throw DivergedError(msg.str(), 0, Cause::penalty);
}

}  // namespace nn
