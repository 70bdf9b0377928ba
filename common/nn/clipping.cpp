#include "common/nn/clipping.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace nn {

namespace {
void require_positive(double threshold, const char* what) {
  if (!(threshold > 0.0) || !std::isfinite(threshold))
    throw std::invalid_argument(std::string(what) + ": the threshold must be finite and > 0");
}
}  // namespace

double global_norm(const std::vector<arma::mat*>& blocks) {
  double s = 0.0;  // max |g_i|
  for (const arma::mat* g : blocks) {
    if (g->has_nan()) return arma::datum::nan;
    if (g->has_inf()) return arma::datum::inf;
    if (!g->is_empty()) s = std::max(s, arma::abs(*g).max());
  }
  if (s == 0.0) return 0.0;
  double sum = 0.0;  // Σ (g_i/s)², each term ≤ 1
  for (const arma::mat* g : blocks) sum += arma::accu(arma::square(*g / s));
  return s * std::sqrt(sum);
}

// [book:clip_by_norm]
ClipReport clip_by_norm(const std::vector<arma::mat*>& blocks, double threshold) {
  require_positive(threshold, "clip_by_norm");
  const double norm = global_norm(blocks);
  if (!std::isfinite(norm) || norm <= threshold) return {norm, false};
  // g ← g·θ/‖g‖: the same factor for every block, so the direction is kept
  for (arma::mat* g : blocks) *g *= threshold / norm;
  return {norm, true};
}
// [/book:clip_by_norm]

// [book:clip_by_value]
ClipReport clip_by_value(const std::vector<arma::mat*>& blocks, double c) {
  require_positive(c, "clip_by_value");
  const double norm = global_norm(blocks);
  bool clipped = false;
  for (arma::mat* g : blocks) {
    clipped = clipped || arma::any(arma::vectorise(arma::abs(*g) > c));
    // g_i ← min(max(g_i, −c), c)
    *g = arma::clamp(*g, -c, c);
  }
  return {norm, clipped};
}
// [/book:clip_by_value]

std::vector<arma::mat*> gradients(const Blocks& blocks) {
  std::vector<arma::mat*> dP;
  for (const Block& block : blocks) dP.push_back(block.dP);
  return dP;
}

ClipReport clip_by_norm(const Blocks& blocks, double threshold) {
  return clip_by_norm(gradients(blocks), threshold);
}

ClipReport clip_by_value(const Blocks& blocks, double c) {
  return clip_by_value(gradients(blocks), c);
}

}  // namespace nn
