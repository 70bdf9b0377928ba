#include "common/nn/mlp.hpp"

#include <cmath>

#include "common/nn/errors.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"

namespace nn {

Mlp::Mlp(const std::vector<arma::uword>& sizes_, Activation hidden_, Output output_)
    : sizes(sizes_), hidden(hidden_), output(output_), W(sizes_.size()), b(sizes_.size()) {
  for (arma::uword l = 1; l < sizes.size(); ++l) {
    W[l].zeros(sizes[l], sizes[l - 1]);
    b[l].zeros(sizes[l], 1);
  }
}

// [book:forward]
MlpCache forward(const Mlp& net, const arma::mat& X) {
  const arma::uword L = net.layers();
  MlpCache cache{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  for (arma::uword l = 1; l <= L; ++l) {
    // Z[l] = W[l] A[l−1] + b[l]: n_l × m, b[l] added to every column
    cache.Z[l] = net.W[l] * (l == 1 ? X : cache.A[l - 1]);
    cache.Z[l].each_col() += net.b[l];
    // A[l] = g(Z[l]) below the top; at the top the output the cost is paired with
    if (l < L) {
      cache.A[l] = activate(net.hidden, cache.Z[l]);
    } else if (net.output == Output::sigmoid) {
      cache.A[l] = sigmoid(cache.Z[l]);
    } else if (net.output == Output::softmax) {
      cache.A[l] = softmax(cache.Z[l]);
    } else {
      cache.A[l] = cache.Z[l];
    }
  }
  return cache;
}
// [/book:forward]

namespace {

// (1/m) Σ_j w_j Σ_k losses(k, j): the per-element losses weighted by their sample's w_j.
double weighted_mean(arma::mat losses, const arma::rowvec& weights) {
  losses.each_row() %= weights;
  return arma::accu(losses) / static_cast<double>(losses.n_cols);
}

}  // namespace

// [book:cost]
double cost(const Mlp& net, const MlpCache& cache, const arma::mat& Y,
            const arma::rowvec& weights) {
  const arma::mat &ZL = cache.Z[net.layers()], &AL = cache.A[net.layers()];
  if (net.output == Output::softmax) {
    // −(1/m) Σ_j w_j Σ_k Y(k,j) ln P(k,j): the cross-entropy is linear in Y, so weighting
    // sample j is scaling its one-hot column by w_j
    if (weights.is_empty()) return categorical_cross_entropy(ZL, Y);
    arma::mat weighted_Y = Y;
    weighted_Y.each_row() %= weights;
    return categorical_cross_entropy(ZL, weighted_Y);
  }
  if (net.output == Output::sigmoid) {
    if (weights.is_empty()) return binary_cross_entropy(ZL, Y);
    return weighted_mean(binary_cross_entropy_losses(ZL, Y), weights);
  }
  if (weights.is_empty()) return squared_error_cost(AL, Y);
  return weighted_mean(arma::square(AL - Y) / 2.0, weights);  // 𝓛 = ½ (a − y)²
}
// [/book:cost]

double saturated_cost(const Mlp& net) {
  if (net.output == Output::sigmoid) return static_cast<double>(net.sizes.back()) * kSaturatedLoss;
  if (net.output == Output::softmax) return kSaturatedLoss;
  return kNoCeiling;
}

// [book:backward]
MlpGradients backward(const Mlp& net, const MlpCache& cache, const arma::mat& X, const arma::mat& Y,
                      const arma::rowvec& weights) {
  const arma::uword L = net.layers();
  const double m = static_cast<double>(Y.n_cols);
  MlpGradients grads{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  // dZ[L] = ∂𝓛/∂Z[L]: column j is the gradient of sample j's own loss (the output and its
  // cost are paired so that it is A[L] − Y), times the sample's weight w_j when there are
  // weights; J's 1/m enters dW and db
  arma::mat dZ = cache.A[L] - Y;
  if (!weights.is_empty()) dZ.each_row() %= weights;
  for (arma::uword l = L; l >= 1; --l) {
    // dW[l] = (1/m) dZ[l] A[l−1]ᵀ,  db[l] = (1/m) Σ_columns dZ[l]
    grads.dW[l] = dZ * (l == 1 ? X : cache.A[l - 1]).t() / m;
    grads.db[l] = arma::sum(dZ, 1) / m;
    // dZ[l−1] = W[l]ᵀ dZ[l] ∘ g′(Z[l−1]): the gradient passes back through layer l
    if (l > 1) dZ = (net.W[l].t() * dZ) % activate_prime(net.hidden, cache.Z[l - 1]);
  }
  return grads;
}
// [/book:backward]

// [book:update]
void update(Mlp& net, const MlpGradients& grads, double learning_rate, const Penalty& penalty) {
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    // W[l] ← W[l] − α dW[l] (or the penalty's step),  b[l] ← b[l] − α db[l]
    penalized_step(net.W[l], grads.dW[l], learning_rate, penalty);
    net.b[l] -= learning_rate * grads.db[l];
  }
}
// [/book:update]

Blocks blocks(Mlp& net, MlpGradients& grads) {
  Blocks list;
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    const std::string layer = std::to_string(l);  // (not "W" + …: GCC 12 warns falsely there)
    list.push_back({std::string("W").append(layer), &net.W[l], &grads.dW[l]});
    list.push_back({std::string("b").append(layer), &net.b[l], &grads.db[l]});
  }
  return list;
}

GradientReport check_gradients(Mlp& net, const arma::mat& X, const arma::mat& Y, double epsilon) {
  MlpGradients grads = backward(net, forward(net, X), X, Y);
  const auto J = [&] { return cost(net, forward(net, X), Y); };
  return check_gradients(J, blocks(net, grads), epsilon);
}

arma::uvec predict(const Mlp& net, const arma::mat& X) {
  return predict_classes(forward(net, X).A.back());
}

double accuracy(const Mlp& net, const arma::mat& X, const arma::uvec& labels) {
  return accuracy(predict(net, X), labels);
}

}  // namespace nn
