// A fully connected network of any depth, for the chapters that vary depth and activation
// (06 vanishing gradients, 07 gradient clipping). Layer l computes
//   Z[l] = W[l] A[l−1] + b[l],  A[l] = g(Z[l]),  A[0] = X,
// and backward walks the same layers in reverse. Chapters 01–05 spell their small networks out
// by hand instead, so that the code reads like the formulas.
#pragma once
#include <armadillo>
#include <vector>

#include "common/nn/activations.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/penalty.hpp"

namespace nn {

// The output layer and its cost come in pairs chosen so that dZ[L] = A[L] − Y:
// sigmoid + binary cross-entropy, softmax + categorical cross-entropy, identity + (1/2m)Σ(a−y)².
enum class Output { sigmoid, softmax, identity };

struct Mlp {
  // sizes = {n_x, n_1, …, n_L}: W[l] is n_l × n_(l−1), b[l] is n_l × 1 (index 0 unused).
  Mlp(const std::vector<arma::uword>& sizes, Activation hidden, Output output);

  std::vector<arma::uword> sizes;
  Activation hidden;
  Output output;
  std::vector<arma::mat> W, b;

  arma::uword layers() const { return sizes.size() - 1; }  // L
};

// What the forward pass keeps for the backward one: Z[1…L] and A[0…L] (A[0] = X).
struct MlpCache {
  std::vector<arma::mat> Z, A;
};

struct MlpGradients {
  std::vector<arma::mat> dW, db;  // same shapes as W and b; index 0 unused
};                                // (their norm: nn::global_norm in common/nn/clipping.hpp)

// A[L] for X (n_x × m), filling `cache`.
const arma::mat& forward(const Mlp& net, const arma::mat& X, MlpCache& cache);
// The cost of A[L] against Y, matched to the output layer (see Output).
double cost(const Mlp& net, const MlpCache& cache, const arma::mat& Y);
// ∂J/∂W[l], ∂J/∂b[l] for every layer from a forward cache, with dZ[l] = ∂𝓛/∂Z[l] per sample:
//   dZ[L] = A[L] − Y;  dW[l] = (1/m) dZ[l] A[l−1]ᵀ;  db[l] = (1/m) Σ_columns dZ[l];
//   dZ[l−1] = W[l]ᵀ dZ[l] ∘ g'(Z[l−1]).
MlpGradients backward(const Mlp& net, const MlpCache& cache, const arma::mat& Y);
// backward's dW[l], db[l] for every layer against central differences of the cost on (X, Y).
GradientReport check_gradients(Mlp& net, const arma::mat& X, const arma::mat& Y,
                               double epsilon = 1e-6);
// Percent of the columns of X (n_x × m) whose largest output is the true label (chapters 06, 10).
double accuracy(const Mlp& net, const arma::mat& X, const arma::uvec& labels);

// W[l] −= α dW[l], b[l] −= α db[l]; with a penalty, each W[l] takes nn::penalized_step instead
// (dW[l] is then the gradient of the unpenalised cost).
void gradient_step(Mlp& net, const MlpGradients& grads, double learning_rate,
                   const Penalty& penalty = {});

}  // namespace nn
