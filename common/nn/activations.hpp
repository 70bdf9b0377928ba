// Activation functions g(Z) and their derivatives g'(Z), element-wise over a matrix whose
// columns are samples. Templates so that a chapter may train in float or in double.
#pragma once
#include <algorithm>
#include <armadillo>
#include <cmath>
#include <limits>
#include <string>

namespace nn {

// σ(z) = 1 / (1 + e^−z). For z < −745, e^−z overflows to inf and σ is exactly 0: no NaN.
// Introduced in chapter 01.
template <typename eT>
arma::Mat<eT> sigmoid(const arma::Mat<eT>& Z) {
  return eT(1) / (eT(1) + arma::exp(-Z));
}

// σ'(z) = σ(z)(1 − σ(z)), at most 1/4 (chapter 06 makes much of that bound).
template <typename eT>
arma::Mat<eT> sigmoid_prime(const arma::Mat<eT>& Z) {
  const arma::Mat<eT> S = sigmoid(Z);
  return S % (eT(1) - S);
}

// σ and σ' of one number, by the same arithmetic (chapter 07's recurrent unit).
inline double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}
inline double sigmoid_prime(double z) {
  const double s = sigmoid(z);
  return s * (1.0 - s);
}

// tanh'(z) = 1 − tanh²(z), at most 1 (chapter 02).
template <typename eT>
arma::Mat<eT> tanh_prime(const arma::Mat<eT>& Z) {
  return eT(1) - arma::square(arma::tanh(Z));
}

// ReLU(z) = max(0, z); its derivative is taken as 0 at z = 0.
template <typename eT>
arma::Mat<eT> relu(const arma::Mat<eT>& Z) {
  return arma::clamp(Z, eT(0), std::numeric_limits<eT>::max());
}

template <typename eT>
arma::Mat<eT> relu_prime(const arma::Mat<eT>& Z) {
  // (one pass into one matrix, where Z > 0 would first build a matrix of integers)
  arma::Mat<eT> D(arma::size(Z), arma::fill::none);
  std::transform(Z.begin(), Z.end(), D.begin(), [](eT z) { return z > eT(0) ? eT(1) : eT(0); });
  return D;
}

// Leaky ReLU: z for z > 0, αz otherwise, so that a negative unit still passes a gradient.
template <typename eT>
arma::Mat<eT> leaky_relu(const arma::Mat<eT>& Z, eT alpha = eT(0.01)) {
  return arma::Mat<eT>(Z).transform([alpha](eT z) { return z > 0 ? z : alpha * z; });
}

template <typename eT>
arma::Mat<eT> leaky_relu_prime(const arma::Mat<eT>& Z, eT alpha = eT(0.01)) {
  return arma::Mat<eT>(Z).transform([alpha](eT z) { return z > 0 ? eT(1) : alpha; });
}

// A = softmax(Z), column by column: e^(z − max z) / Σ e^(z − max z). Subtracting the column's
// maximum changes nothing mathematically and keeps e^z from overflowing (chapters 05, 09 and the
// deep networks of common/nn/mlp).
template <typename eT>
arma::Mat<eT> softmax(const arma::Mat<eT>& Z) {
  // [book:softmax]
  // the largest logit of every column
  const arma::Row<eT> z_max = arma::max(Z, 0);
  // E = e^(Z − max): every exponent ≤ 0, so every E ≤ 1
  arma::Mat<eT> A = Z;
  A.each_row() -= z_max;
  A = arma::exp(A);
  // A = E / Σ_rows E: each column now sums to 1
  const arma::Row<eT> e_sum = arma::sum(A, 0);
  A.each_row() /= e_sum;
  // [/book:softmax]
  return A;
}

// The hidden-layer activations a chapter may choose by name (--activation).
enum class Activation { identity, sigmoid, tanh, relu, leaky_relu };

// "identity", "sigmoid", "tanh", "relu", "leaky_relu"; throws nn::UsageError otherwise.
Activation activation_from_name(const std::string& name);
std::string activation_name(Activation g);

template <typename eT>
arma::Mat<eT> activate(Activation g, const arma::Mat<eT>& Z) {
  switch (g) {
    case Activation::sigmoid:
      return sigmoid(Z);
    case Activation::tanh:
      return arma::tanh(Z);
    case Activation::relu:
      return relu(Z);
    case Activation::leaky_relu:
      return leaky_relu(Z);
    case Activation::identity:
      break;
  }
  return Z;
}

template <typename eT>
arma::Mat<eT> activate_prime(Activation g, const arma::Mat<eT>& Z) {
  switch (g) {
    case Activation::sigmoid:
      return sigmoid_prime(Z);
    case Activation::tanh:
      return tanh_prime(Z);
    case Activation::relu:
      return relu_prime(Z);
    case Activation::leaky_relu:
      return leaky_relu_prime(Z);
    case Activation::identity:
      break;
  }
  return arma::Mat<eT>(arma::size(Z), arma::fill::ones);
}

}  // namespace nn
