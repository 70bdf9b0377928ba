// One sigmoid neuron a = σ(w x + b) — chapter 01's model — trained by full-batch gradient
// descent. The later chapters use it as their baseline: chapter 02 on the flower, chapter 03
// on XOR.
#pragma once
#include <armadillo>

namespace nn {

// The neuron as a layer of one unit: w is the one row of a layer's W and b its 1 × 1 bias, so
// that a network's products give one directly (chapter 03: W2 W1 and W2 b1 + b2). Chapter 01's
// ch01::Neuron is the same model in the course's shapes (w a column, z = wᵀx + b, b a number),
// spelled out step by step to match the course's digits; hence two types and two names.
struct NeuronLayer {
  arma::mat w;  // w: 1 × n_x
  arma::mat b;  // b: 1 × 1
};

// A = σ(w X + b): 1 × m, one probability per column of X (n_x × m).
arma::mat neuron_output(const NeuronLayer& neuron, const arma::mat& X);

// `iterations` steps of gradient descent on the cross-entropy of (X, Y), starting from the
// neuron as given and checking each cost for divergence; returns the final cost.
double train_neuron(NeuronLayer& neuron, const arma::mat& X, const arma::mat& Y,
                    double learning_rate, int iterations);

}  // namespace nn
