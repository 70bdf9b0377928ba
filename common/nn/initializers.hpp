// Initial weights W (n_out × n_in) and biases b (n_out × 1). Random ones are drawn from
// numpy's generator in numpy's order, so a port of a numpy lesson starts from its weights.
#pragma once
#include <armadillo>
#include <cmath>

#include "common/nn/numpy_random.hpp"

namespace nn {

// randn(n_out, n_in)·scale; scale 0.01 keeps tanh and σ in their steep middle (chapter 02).
inline arma::mat scaled_normal(NumpyRandom& rng, arma::uword n_out, arma::uword n_in,
                               double scale = 0.01) {
  return rng.randn(n_out, n_in) * scale;
}

// Xavier/Glorot: standard deviation √(2 / (n_in + n_out)) keeps the variance of activations
// and of gradients roughly equal from layer to layer for tanh and σ (chapter 05).
inline arma::mat xavier(NumpyRandom& rng, arma::uword n_out, arma::uword n_in) {
  return scaled_normal(rng, n_out, n_in, std::sqrt(2.0 / static_cast<double>(n_in + n_out)));
}

// Nielsen's default_weight_initializer (network2.py): standard deviation 1/√n_in, so that
// z = Σ w x + b stays of order 1 whatever n_in is (chapters 06 and 10). network2.py divides
// randn by √n_in; multiplying by 1/√n_in may differ from it in the last bit.
inline arma::mat nielsen(NumpyRandom& rng, arma::uword n_out, arma::uword n_in) {
  return scaled_normal(rng, n_out, n_in, 1.0 / std::sqrt(static_cast<double>(n_in)));
}

// He: standard deviation √(2 / n_in), for ReLU, which zeroes half its inputs (chapter 06).
inline arma::mat he(NumpyRandom& rng, arma::uword n_out, arma::uword n_in) {
  return scaled_normal(rng, n_out, n_in, std::sqrt(2.0 / static_cast<double>(n_in)));
}

}  // namespace nn
