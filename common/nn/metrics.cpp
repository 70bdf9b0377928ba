#include "common/nn/metrics.hpp"

#include <cmath>

namespace nn {

double accuracy(const arma::uvec& predicted, const arma::uvec& truth) {
  return 100.0 * static_cast<double>(arma::accu(predicted == truth)) /
         static_cast<double>(truth.n_elem);
}

double binary_accuracy(const arma::mat& A, const arma::mat& Y) {
  const arma::mat predicted = arma::conv_to<arma::mat>::from(A > 0.5);
  return 100.0 * static_cast<double>(arma::accu(predicted == Y)) / static_cast<double>(Y.n_elem);
}

arma::umat confusion_matrix(const arma::uvec& predicted, const arma::uvec& truth, arma::uword K) {
  arma::umat C(K, K, arma::fill::zeros);
  for (arma::uword j = 0; j < truth.n_elem; ++j) ++C(truth(j), predicted(j));
  return C;
}

ClassScores class_scores(const arma::umat& C) {
  const arma::vec right = arma::conv_to<arma::vec>::from(C.diag());
  const arma::vec present = arma::conv_to<arma::vec>::from(arma::sum(C, 1));
  const arma::vec predicted = arma::conv_to<arma::vec>::from(arma::sum(C, 0).t());
  // k/0 is left at 0: a class with no samples (no answers) has nothing to recall (be right on)
  const auto percent = [&right](const arma::vec& total) {
    arma::vec p(right.n_elem, arma::fill::zeros);
    for (arma::uword k = 0; k < p.n_elem; ++k)
      if (total(k) > 0) p(k) = 100.0 * right(k) / total(k);
    return p;
  };
  return {percent(predicted), percent(present)};
}

double mae(const arma::mat& y, const arma::mat& y_hat) {
  return arma::mean(arma::abs(arma::vectorise(y - y_hat)));
}

double mape(const arma::mat& y, const arma::mat& y_hat) {
  const arma::vec truth = arma::vectorise(y);
  const arma::vec error = arma::abs(truth - arma::vectorise(y_hat));
  const arma::uvec defined = arma::find(arma::abs(truth) >= 1e-8);
  if (defined.is_empty()) return 0.0;
  return 100.0 * arma::mean(error(defined) / arma::abs(truth(defined)));
}

double sse(const arma::mat& y, const arma::mat& y_hat) {
  return arma::accu(arma::square(y - y_hat));
}

double mse(const arma::mat& y, const arma::mat& y_hat) {
  return sse(y, y_hat) / static_cast<double>(y.n_elem);
}

double rmse(const arma::mat& y, const arma::mat& y_hat) {
  return std::sqrt(mse(y, y_hat));
}

double r2(const arma::mat& y, const arma::mat& y_hat) {
  const double total = arma::accu(arma::square(y - arma::mean(arma::vectorise(y))));
  return 1.0 - sse(y, y_hat) / total;
}

std::optional<std::size_t> first_below(const std::vector<double>& values, double level) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] < level) return i;
  return std::nullopt;
}

}  // namespace nn
