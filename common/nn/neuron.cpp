#include "common/nn/neuron.hpp"

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/losses.hpp"

namespace nn {

namespace {
// Z = w X + b: 1 × m
arma::mat logits(const NeuronLayer& neuron, const arma::mat& X) {
  arma::mat Z = neuron.w * X;
  Z.each_col() += neuron.b;
  return Z;
}
}  // namespace

arma::mat neuron_output(const NeuronLayer& neuron, const arma::mat& X) {
  return sigmoid(logits(neuron, X));
}

// [book:train_neuron]
double train_neuron(NeuronLayer& neuron, const arma::mat& X, const arma::mat& Y,
                    double learning_rate, int iterations) {
  const double m = static_cast<double>(X.n_cols);
  for (int i = 0; i < iterations; ++i) {
    // Z = w X + b, A = σ(Z); J from the logits, so that it stays finite
    const arma::mat Z = logits(neuron, X);
    check_cost(binary_cross_entropy(Z, Y), i, static_cast<double>(Y.n_rows) * kSaturatedLoss);
    // dZ = A − Y; dw = (1/m) dZ Xᵀ; db = (1/m) Σ dZ
    const arma::mat dZ = sigmoid(Z) - Y;
    neuron.w -= learning_rate * (dZ * X.t() / m);
    neuron.b -= learning_rate * (arma::sum(dZ, 1) / m);
  }
  return binary_cross_entropy(logits(neuron, X), Y);
}
// [/book:train_neuron]

}  // namespace nn
