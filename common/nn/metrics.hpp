// How good a model is, in the units a learner reads: percent correct, and the regression
// metrics of chapter 04. `y` is the truth and `y_hat` the prediction; both are flattened.
#pragma once
#include <armadillo>
#include <cstddef>
#include <optional>
#include <vector>

namespace nn {

// Percent of samples whose predicted class equals the true one.
double accuracy(const arma::uvec& predicted, const arma::uvec& truth);

// Percent of binary predictions (1 when a > 0.5) that equal the 0/1 labels Y (chapter 01).
double binary_accuracy(const arma::mat& A, const arma::mat& Y);

// The predicted class of each column: the row of its largest value (chapter 05).
template <typename eT>
arma::uvec predict_classes(const arma::Mat<eT>& A) {
  return arma::index_max(A, 0).t();
}

// The confusion matrix of K classes: C(i, j) counts the samples of true class i predicted as
// class j, so the diagonal holds the right answers (chapters 05, 09).
arma::umat confusion_matrix(const arma::uvec& predicted, const arma::uvec& truth, arma::uword K);

// Per class k, in percent:  recall    = C(k, k) / Σ_j C(k, j)   (of the true k, how many found)
//                           precision = C(k, k) / Σ_i C(i, k)   (of the answers k, how many right)
// A class never predicted (or never present) gets 0, not 0/0 (chapter 09).
struct ClassScores {
  arma::vec precision;  // K
  arma::vec recall;     // K
};
ClassScores class_scores(const arma::umat& C);

double mae(const arma::mat& y, const arma::mat& y_hat);  // (1/m) Σ |y − ŷ|
// (100/m') Σ |y − ŷ| / |y| over the m' samples with |y| ≥ 1e-8: where the truth is zero the
// ratio is undefined, so those samples are left out (the sine crosses 0 at x = 0, ½ and 1).
double mape(const arma::mat& y, const arma::mat& y_hat);
double sse(const arma::mat& y, const arma::mat& y_hat);   // Σ (y − ŷ)²
double mse(const arma::mat& y, const arma::mat& y_hat);   // (1/m) Σ (y − ŷ)²
double rmse(const arma::mat& y, const arma::mat& y_hat);  // √MSE
// R² = 1 − SSE / Σ (y − ȳ)²: 1 is a perfect fit, 0 is no better than predicting the mean.
double r2(const arma::mat& y, const arma::mat& y_hat);

// The first iteration whose value (a cost, an output) is below `level`; none when none is
// (chapters 01, 02).
std::optional<std::size_t> first_below(const std::vector<double>& values, double level);

}  // namespace nn
