// The fully connected network of any depth that the chapters from 06 on train (06 vanishing
// gradients, 07 clipping, 09 the spiral, 10 regularisation; chapter 08 derives it, and its test
// holds the course's spelled-out version to this one). Layer l computes
//   Z[l] = W[l] A[l−1] + b[l],  A[l] = g(Z[l]),  A[0] = X,
// and backward walks the same layers in reverse. Chapters 01–05 spell their small networks out
// by hand, in the same conventions, so that the code reads like the formulas.
#pragma once
#include <armadillo>
#include <vector>

#include "common/nn/activations.hpp"
#include "common/nn/blocks.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/penalty.hpp"

namespace nn {

// The output layer and its cost come in pairs chosen so that dZ[L] = A[L] − Y:
// sigmoid + binary cross-entropy, softmax + categorical cross-entropy, identity + (1/2m)Σ(a−y)².
enum class Output { sigmoid, softmax, identity };

struct Mlp {
  // sizes = {n_x, n_1, …, n_L}: W[l] is n_l × n_(l−1), b[l] is n_l × 1 (index 0 unused).
  Mlp(const std::vector<arma::uword>& sizes, Activation hidden, Output output);
  Mlp() = default;  // no layers yet (L = 0): a place to assign a network to

  std::vector<arma::uword> sizes = {0};
  Activation hidden = Activation::relu;
  Output output = Output::sigmoid;
  std::vector<arma::mat> W = std::vector<arma::mat>(1), b = std::vector<arma::mat>(1);

  arma::uword layers() const { return sizes.size() - 1; }  // L
};

// What the forward pass keeps for the backward one: Z[l] and A[l] (n_l × m) for l = 1…L
// (index 0 unused: A[0] is X, which backward takes as an argument).
struct MlpCache {
  std::vector<arma::mat> Z, A;
};

struct MlpGradients {
  std::vector<arma::mat> dW, db;  // same shapes as W and b; index 0 unused
};                                // (their norm: nn::global_norm in common/nn/clipping.hpp)

// Every Z[l] and A[l] for X (n_x × m); A[L] is the output.
MlpCache forward(const Mlp& net, const arma::mat& X);
// The cost of A[L] against Y, matched to the output layer (see Output). With per-sample
// weights w (1 × m), J = (1/m) Σ_j w_j 𝓛(j); without, every w_j = 1.
double cost(const Mlp& net, const MlpCache& cache, const arma::mat& Y,
            const arma::rowvec& weights = {});
// The ceiling nn::check_cost holds this network's cost to: kSaturatedLoss for each of its n_L
// sigmoid outputs, once for softmax, none (+∞) for the squared error.
double saturated_cost(const Mlp& net);
// ∂J/∂W[l], ∂J/∂b[l] for every layer from a forward cache of X, with dZ[l] = ∂𝓛/∂Z[l] per
// sample:
//   dZ[L] = (A[L] − Y) ∘ w;  dW[l] = (1/m) dZ[l] A[l−1]ᵀ;  db[l] = (1/m) Σ_columns dZ[l];
//   dZ[l−1] = W[l]ᵀ dZ[l] ∘ g'(Z[l−1])   (w: the per-sample weights, when given).
MlpGradients backward(const Mlp& net, const MlpCache& cache, const arma::mat& X, const arma::mat& Y,
                      const arma::rowvec& weights = {});
// The network's parameter blocks (common/nn/blocks.hpp) W1, b1, …, W[L], b[L], each with its
// gradient in `grads`: the one list of an Mlp's matrices.
Blocks blocks(Mlp& net, MlpGradients& grads);
// W[l] −= α dW[l], b[l] −= α db[l]; with a penalty, each W[l] takes nn::penalized_step instead
// (dW[l] is then the gradient of the unpenalised cost).
void update(Mlp& net, const MlpGradients& grads, double learning_rate, const Penalty& penalty = {});

// backward's dW[l], db[l] for every layer against central differences of the cost on (X, Y).
GradientReport check_gradients(Mlp& net, const arma::mat& X, const arma::mat& Y,
                               double epsilon = 1e-6);
// The class each column of X (n_x × m) is given: the row of its largest output (chapter 09).
arma::uvec predict(const Mlp& net, const arma::mat& X);
// Percent of the columns of X whose predicted class is the true label (chapters 06, 10).
double accuracy(const Mlp& net, const arma::mat& X, const arma::uvec& labels);

}  // namespace nn
