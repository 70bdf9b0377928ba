// One sigmoid neuron a = σ(w x + b) — chapter 01's model — trained by full-batch gradient
// descent. The later chapters use it as their baseline: chapter 02 on the flower, chapter 03
// on XOR. (Chapter 01 spells the same model out step by step, to match the course's digits.)
#pragma once
#include <armadillo>

namespace nn {

struct Neuron {
  arma::mat w;  // w: 1 × n_x
  arma::mat b;  // b: 1 × 1
};

// A = σ(w X + b): 1 × m, one probability per column of X (n_x × m).
arma::mat neuron_output(const Neuron& neuron, const arma::mat& X);

// `iterations` steps of gradient descent on the cross-entropy of (X, Y), starting from the
// neuron as given and checking each cost for divergence; returns the final cost.
double train_neuron(Neuron& neuron, const arma::mat& X, const arma::mat& Y, double learning_rate,
                    int iterations);

}  // namespace nn
