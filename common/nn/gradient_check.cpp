#include "common/nn/gradient_check.hpp"

#include <algorithm>

namespace nn {

arma::mat numerical_gradient(const std::function<double()>& J, arma::mat& P, double epsilon) {
  arma::mat dP(arma::size(P));
  for (arma::uword i = 0; i < P.n_elem; ++i) {
    const double saved = P(i);
    P(i) = saved + epsilon;
    const double J_plus = J();
    P(i) = saved - epsilon;
    const double J_minus = J();
    P(i) = saved;
    dP(i) = (J_plus - J_minus) / (2.0 * epsilon);
  }
  return dP;
}

double relative_error(const arma::mat& g, const arma::mat& g_hat) {
  const double denominator = arma::norm(arma::vectorise(g)) + arma::norm(arma::vectorise(g_hat));
  if (denominator == 0.0) return 0.0;
  return arma::norm(arma::vectorise(g - g_hat)) / denominator;
}

GradientReport check_gradients(const std::function<double()>& J, std::vector<GradientBlock> blocks,
                               double epsilon) {
  GradientReport report;
  for (auto& block : blocks) {
    const double error = relative_error(block.dP, numerical_gradient(J, *block.P, epsilon));
    report.errors.emplace_back(block.name, error);
    report.max_error = std::max(report.max_error, error);
  }
  return report;
}

GradientReport check_gradients(const std::function<double()>& J, const Blocks& blocks,
                               double epsilon) {
  std::vector<GradientBlock> checked;
  for (const Block& block : blocks) checked.push_back({block.name, block.P, *block.dP});
  return check_gradients(J, std::move(checked), epsilon);
}

}  // namespace nn
