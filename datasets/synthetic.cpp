#include "datasets/synthetic.hpp"

#include <cmath>
#include <map>
#include <numbers>

#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/numpy_random.hpp"

namespace nn {

Dataset make_planar_flower(std::uint32_t seed, arma::uword m, double a) {
  NumpyRandom rng(seed);
  const arma::uword N = m / 2;  // points per class
  Dataset d{arma::mat(2, m), arma::mat(1, m)};
  for (arma::uword j = 0; j < 2; ++j) {
    const double lo = static_cast<double>(j) * 3.12, hi = static_cast<double>(j + 1) * 3.12;
    const arma::rowvec t = linspace(lo, hi, N) + rng.randn(1, N) * 0.2;
    const arma::rowvec r = a * arma::sin(4.0 * t) + rng.randn(1, N) * 0.2;
    d.X.submat(0, j * N, 0, (j + 1) * N - 1) = r % arma::sin(t);
    d.X.submat(1, j * N, 1, (j + 1) * N - 1) = r % arma::cos(t);
    d.Y.cols(j * N, (j + 1) * N - 1).fill(static_cast<double>(j));
  }
  return d;
}

SineData make_sine(std::uint32_t seed, arma::uword m_train, arma::uword m_test) {
  NumpyRandom rng(seed);
  SineData d;
  d.train.X = rng.rand(1, m_train);
  const arma::mat noise = rng.uniform(1, m_train, -0.1, 0.1);
  d.train.Y = arma::sin(2.0 * std::numbers::pi * d.train.X) + noise;
  d.test.X = linspace(0.0, 1.0, m_test);
  d.test.Y = arma::sin(2.0 * std::numbers::pi * d.test.X);
  return d;
}

Dataset make_truth_table(const std::string& gate) {
  static const std::map<std::string, arma::rowvec> outputs{
      {"AND", {0, 0, 0, 1}}, {"OR", {0, 1, 1, 1}},  {"NAND", {1, 1, 1, 0}},
      {"NOR", {1, 0, 0, 0}}, {"XOR", {0, 1, 1, 0}}, {"XNOR", {1, 0, 0, 1}}};
  const auto found = outputs.find(gate);
  if (found == outputs.end())
    throw UsageError("unknown gate '" + gate + "' (known: AND, OR, NAND, NOR, XOR, XNOR)");
  return Dataset{arma::mat{{0, 0, 1, 1}, {0, 1, 0, 1}}, found->second};
}

Dataset make_spiral(std::uint32_t seed, arma::uword N, arma::uword K) {
  NumpyRandom rng(seed);
  Dataset d{arma::mat(2, N * K), arma::mat(1, N * K)};
  for (arma::uword j = 0; j < K; ++j) {
    const double arm = static_cast<double>(j);
    const arma::rowvec r = linspace(0.0, 1.0, N);  // radius
    const arma::rowvec t = linspace(4.0 * arm, 4.0 * (arm + 1.0), N) + rng.randn(1, N) * 0.2;
    d.X.submat(0, j * N, 0, (j + 1) * N - 1) = r % arma::sin(t);
    d.X.submat(1, j * N, 1, (j + 1) * N - 1) = r % arma::cos(t);
    d.Y.cols(j * N, (j + 1) * N - 1).fill(arm);
  }
  return d;
}

}  // namespace nn
