#include "common/nn/numpy_random.hpp"

#include <cmath>

namespace nn {

void NumpyRandom::seed(std::uint32_t s) {
  mt_.seed(s);
  has_gauss_ = false;
  gauss_ = 0.0;
}

double NumpyRandom::random_sample() {
  const std::uint32_t a = mt_() >> 5;  // 27 bits, drawn first
  const std::uint32_t b = mt_() >> 6;  // 26 bits
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::randn() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

std::uint64_t NumpyRandom::interval(std::uint64_t max) {
  if (max == 0) return 0;
  std::uint64_t mask = max;  // smallest all-ones mask covering max
  for (int shift = 1; shift <= 32; shift *= 2) mask |= mask >> shift;
  std::uint64_t value;
  if (max <= 0xffffffffULL) {
    while ((value = (mt_() & mask)) > max) {
    }
  } else {
    do {
      const std::uint64_t high = mt_();
      value = ((high << 32) | mt_()) & mask;
    } while (value > max);
  }
  return value;
}

namespace {
template <typename Draw>
arma::mat fill_row_major(arma::uword rows, arma::uword cols, Draw draw) {
  arma::mat M(rows, cols);
  for (arma::uword i = 0; i < rows; ++i)
    for (arma::uword j = 0; j < cols; ++j) M(i, j) = draw();
  return M;
}
}  // namespace

arma::mat NumpyRandom::randn(arma::uword rows, arma::uword cols) {
  return fill_row_major(rows, cols, [this] { return randn(); });
}

arma::mat NumpyRandom::rand(arma::uword rows, arma::uword cols) {
  return fill_row_major(rows, cols, [this] { return random_sample(); });
}

arma::mat NumpyRandom::uniform(arma::uword rows, arma::uword cols, double low, double high) {
  return fill_row_major(rows, cols, [&] { return uniform(low, high); });
}

arma::uvec NumpyRandom::permutation(arma::uword n) {
  arma::uvec p = arma::regspace<arma::uvec>(0, n == 0 ? 0 : n - 1);
  if (n == 0) return arma::uvec();
  for (arma::uword i = n - 1; i >= 1; --i) std::swap(p(i), p(interval(i)));
  return p;
}

}  // namespace nn
