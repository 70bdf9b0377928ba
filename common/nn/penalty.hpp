// Weight penalties: the cost a network pays for large weights (chapters 06, 09 and 10).
//   L2:  C = C₀ + (λ/2n) Σ_l ‖W[l]‖²     ∂/∂W adds (λ/n) W        ("weight decay")
//   L1:  C = C₀ + (λ/n)  Σ_l Σ |w|        ∂/∂W adds (λ/n) sign(W)
// n is the number of training samples, as in Nielsen's network2.py; CS231n's `reg` is the same
// L2 with n = 1. Biases are not penalised.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

namespace nn {

struct Penalty {
  enum class Kind { none, l2, l1 };
  Kind kind = Kind::none;
  double lambda = 0.0;  // λ
  double n = 1.0;       // the training-set size λ is divided by

  double strength() const { return kind == Kind::none ? 0.0 : lambda / n; }  // λ/n
};

// "none", "l2", "l1" (results.json and the console name a penalty so).
std::string penalty_name(Penalty::Kind kind);

// The penalty's share of the cost, (λ/2n) Σ‖W[l]‖² or (λ/n) Σ|w|, over every matrix in W
// (entries that are empty, like an unused W[0], add nothing).
double penalty_cost(const Penalty& penalty, const std::vector<arma::mat>& W);

// One gradient step on a weight matrix, dW = ∂C₀/∂W the gradient of the unpenalised cost:
//   none:  W ← W − α dW
//   L2:    W ← (1 − αλ/n) W − α dW           the weights shrink by a fixed factor
//   L1:    W ← W − (αλ/n) sign(W) − α dW     the weights move towards 0 by a fixed amount
void penalized_step(arma::mat& W, const arma::mat& dW, double learning_rate,
                    const Penalty& penalty);

}  // namespace nn
