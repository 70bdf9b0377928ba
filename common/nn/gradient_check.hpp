// Gradient checking: compare backpropagation's ∂J/∂P with central differences
//   ∂J/∂P(i) ≈ (J(P + ε·e_i) − J(P − ε·e_i)) / 2ε,
// by the relative error ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖) (introduced in chapter 05).
#pragma once
#include <armadillo>
#include <functional>
#include <string>
#include <vector>

#include "common/nn/blocks.hpp"

namespace nn {

// The numerical gradient of J with respect to P. J is evaluated with P changed in place, one
// element at a time, and P is restored exactly afterwards.
arma::mat numerical_gradient(const std::function<double()>& J, arma::mat& P, double epsilon = 1e-6);

// ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖); 0 when both are zero. Below about 1e-7 in double the two agree.
double relative_error(const arma::mat& g, const arma::mat& g_hat);

// One parameter block: its name (for the report), the parameter, and backprop's gradient.
struct GradientBlock {
  std::string name;
  arma::mat* P;
  arma::mat dP;
};

struct GradientReport {
  std::vector<std::pair<std::string, double>> errors;  // per block
  double max_error = 0.0;
};

// Checks every block against central differences of J.
GradientReport check_gradients(const std::function<double()>& J, std::vector<GradientBlock> blocks,
                               double epsilon = 1e-6);
// The same for a network's own list of blocks (common/nn/blocks.hpp), each dP backprop's.
GradientReport check_gradients(const std::function<double()>& J, const Blocks& blocks,
                               double epsilon = 1e-6);

}  // namespace nn
