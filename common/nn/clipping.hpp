// Gradient clipping (chapter 07): when the gradient explodes, cap the step before taking it.
// Both rules treat ALL parameter blocks together as one long vector
//   g = (dW[1], db[1], …, dW[L], db[L]),
// so that ‖g‖ is the length of the whole step, not of one layer's share of it.
#pragma once
#include <armadillo>
#include <vector>

#include "common/nn/mlp.hpp"

namespace nn {

struct ClipReport {
  double norm = 0.0;     // ‖g‖ before clipping
  bool clipped = false;  // whether clipping changed g
};

// ‖g‖ = √(Σ over blocks Σ g_i²), computed as s·√(Σ (g_i/s)²) with s = max |g_i| so that the
// squares of huge components (1e200) do not overflow. inf or NaN when a component is.
double global_norm(const std::vector<arma::mat*>& blocks);

// Clip by norm (Pascanu, Mikolov & Bengio 2013): g ← g·θ/‖g‖ when ‖g‖ > θ.
// The step keeps its direction and its length becomes θ. A non-finite ‖g‖ leaves g unchanged:
// clipping cannot rescue a NaN, the caller's check_cost must see it.
ClipReport clip_by_norm(const std::vector<arma::mat*>& blocks, double threshold);

// Clip by value: g_i ← min(max(g_i, −c), c) for every component. Each component is bounded,
// but the large ones shrink and the small ones do not, so the direction changes.
ClipReport clip_by_value(const std::vector<arma::mat*>& blocks, double c);

// The gradients dP of a network's blocks (common/nn/blocks.hpp), in the list's order: for an Mlp,
// nn::blocks(net, grads) gives dW[1], db[1], …, dW[L], db[L]. The clips below clip them.
std::vector<arma::mat*> gradients(const Blocks& blocks);
ClipReport clip_by_norm(const Blocks& blocks, double threshold);
ClipReport clip_by_value(const Blocks& blocks, double c);

}  // namespace nn
