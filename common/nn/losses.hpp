// Costs J averaged over the m columns (samples). The cross-entropies take the logits Z, not
// the activations A = g(Z): computed from Z they stay finite when the output saturates
// (σ(z) rounds to exactly 1 for z > 37, and ln(1 − 1) = −inf).
#pragma once
#include <armadillo>
#include <cmath>
#include <limits>

namespace nn {

// Each element's 𝓛 = −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = max(z, 0) − z·y + ln(1 + e^−|z|).
template <typename eT>
arma::Mat<eT> binary_cross_entropy_losses(const arma::Mat<eT>& Z, const arma::Mat<eT>& Y) {
  return arma::clamp(Z, eT(0), std::numeric_limits<eT>::max()) - Z % Y +
         arma::log1p(arma::exp(-arma::abs(Z)));
}

// J = (1/m) Σ 𝓛, the mean of binary_cross_entropy_losses over the columns (chapter 01)
template <typename eT>
double binary_cross_entropy(const arma::Mat<eT>& Z, const arma::Mat<eT>& Y) {
  return arma::accu(binary_cross_entropy_losses(Z, Y)) / static_cast<double>(Z.n_cols);
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

// The cost of the best guess that ignores the inputs: every output k set to the share p_k of the
// samples labelled k in Y (n_y × m, 0/1), the labels' entropy. A network stuck at this cost has
// learned nothing from its inputs (chapters 06 and 08).
// [book:prior]
inline double prior_cost(const arma::mat& Y) {
  // p_k: the frequency of label k; the best constant output is A = p for every sample
  const arma::vec p = arma::mean(Y, 1);
  // C = Σ_k −p_k ln p_k − (1 − p_k) ln(1 − p_k), the cross-entropy of that constant guess
  double C = 0.0;
  for (const double p_k : p)
    if (p_k > 0 && p_k < 1) C -= p_k * std::log(p_k) + (1 - p_k) * std::log(1 - p_k);
  return C;  // a label that never (or always) occurs costs nothing: 0 · ln 0 = 0
}
// [/book:prior]

}  // namespace nn
