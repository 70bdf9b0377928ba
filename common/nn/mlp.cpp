#include "common/nn/mlp.hpp"

#include <cmath>

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

const arma::mat& forward(const Mlp& net, const arma::mat& X, MlpCache& cache) {
  const arma::uword L = net.layers();
  cache.Z.resize(L + 1);
  cache.A.resize(L + 1);
  cache.A[0] = X;
  for (arma::uword l = 1; l <= L; ++l) {
    cache.Z[l] = net.W[l] * cache.A[l - 1];
    cache.Z[l].each_col() += net.b[l];
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
  return cache.A[L];
}

double cost(const Mlp& net, const MlpCache& cache, const arma::mat& Y) {
  const arma::uword L = net.layers();
  switch (net.output) {
    case Output::sigmoid:
      return binary_cross_entropy(cache.Z[L], Y);
    case Output::softmax:
      return categorical_cross_entropy(cache.Z[L], Y);
    case Output::identity:
      break;
  }
  return squared_error_cost(cache.A[L], Y);
}

MlpGradients backward(const Mlp& net, const MlpCache& cache, const arma::mat& Y) {
  const arma::uword L = net.layers();
  const double m = static_cast<double>(Y.n_cols);
  MlpGradients grads{std::vector<arma::mat>(L + 1), std::vector<arma::mat>(L + 1)};
  // dZ[L] = ∂𝓛/∂Z[L]: column j is the gradient of sample j's own loss (the output and its
  // cost are paired so that it is A[L] − Y); J's 1/m enters dW and db
  arma::mat dZ = cache.A[L] - Y;
  for (arma::uword l = L; l >= 1; --l) {
    grads.dW[l] = dZ * cache.A[l - 1].t() / m;
    grads.db[l] = arma::sum(dZ, 1) / m;
    if (l > 1) dZ = (net.W[l].t() * dZ) % activate_prime(net.hidden, cache.Z[l - 1]);
  }
  return grads;
}

GradientReport check_gradients(Mlp& net, const arma::mat& X, const arma::mat& Y, double epsilon) {
  MlpCache cache;
  forward(net, X, cache);
  const MlpGradients grads = backward(net, cache, Y);
  std::vector<GradientBlock> blocks;
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    const std::string layer = std::to_string(l);  // (not "W" + …: GCC 12 warns falsely there)
    blocks.push_back({std::string("W").append(layer), &net.W[l], grads.dW[l]});
    blocks.push_back({std::string("b").append(layer), &net.b[l], grads.db[l]});
  }
  const auto J = [&] {
    MlpCache probe;
    forward(net, X, probe);
    return cost(net, probe, Y);
  };
  return check_gradients(J, blocks, epsilon);
}

double accuracy(const Mlp& net, const arma::mat& X, const arma::uvec& labels) {
  MlpCache cache;
  return accuracy(predict_classes(forward(net, X, cache)), labels);
}

void gradient_step(Mlp& net, const MlpGradients& grads, double learning_rate,
                   const Penalty& penalty) {
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    penalized_step(net.W[l], grads.dW[l], learning_rate, penalty);
    net.b[l] -= learning_rate * grads.db[l];
  }
}

}  // namespace nn
