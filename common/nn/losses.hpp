// Costs J averaged over the m columns (samples). The cross-entropies take the logits Z, not
// the activations A = g(Z): computed from Z they stay finite when the output saturates
// (σ(z) rounds to exactly 1 for z > 37, and ln(1 − 1) = −inf).
#pragma once
#include <armadillo>

namespace nn {

// J = −(1/m) Σ [y ln σ(z) + (1 − y) ln(1 − σ(z))]
//   = (1/m) Σ [max(z, 0) − z·y + ln(1 + e^−|z|)]        (chapter 01)
template <typename eT>
double binary_cross_entropy(const arma::Mat<eT>& Z, const arma::Mat<eT>& Y) {
  const arma::Mat<eT> loss = arma::clamp(Z, eT(0), std::numeric_limits<eT>::max()) - Z % Y +
                             arma::log1p(arma::exp(-arma::abs(Z)));
  return arma::accu(loss) / static_cast<double>(Z.n_cols);
}

// J = −(1/m) Σ_j Σ_k Y(k,j) ln softmax(Z)(k,j), with ln softmax(z) = z − max z − ln Σ e^(z − max z)
// (chapter 05).
template <typename eT>
double categorical_cross_entropy(const arma::Mat<eT>& Z, const arma::Mat<eT>& Y) {
  const arma::Mat<eT> shifted = Z.each_row() - arma::max(Z, 0);
  const arma::Mat<eT> log_softmax =
      shifted.each_row() - arma::log(arma::sum(arma::exp(shifted), 0));
  return -arma::accu(Y % log_softmax) / static_cast<double>(Z.n_cols);
}

// J = (1/2m) Σ (a − y)²: the regression cost, whose gradient is simply (A − Y)/m (chapter 04).
template <typename eT>
double squared_error_cost(const arma::Mat<eT>& A, const arma::Mat<eT>& Y) {
  return arma::accu(arma::square(A - Y)) / (2.0 * static_cast<double>(A.n_cols));
}

}  // namespace nn
