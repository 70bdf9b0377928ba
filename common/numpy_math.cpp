#include "common/numpy_math.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

#include "common/parallel.hpp"

namespace nn {

double pairwise_sum(const double* a, arma::uword n) {
  if (n < 8) {
    double sum = 0.0;
    for (arma::uword i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    // Eight running sums, combined as a tree, then the last n mod 8 terms one by one
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    arma::uword i = 8;
    for (; i < n - n % 8; i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  // Split in two halves (the first a multiple of 8 long) and add their sums
  arma::uword half = n / 2;
  half -= half % 8;
  return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
}

namespace {

// 2^(j/16), j = 0…15, correctly rounded: the table behind e^x = 2^M · 2^(j/16) · e^r
const std::array<double, 16>& powers_of_two_sixteenths() {
  static const std::array<double, 16> table = [] {
    std::array<double, 16> t{};
    for (int j = 0; j < 16; ++j) t[j] = std::exp2(j / 16.0);
    return t;
  }();
  return table;
}

// SVML's constants: log2(e), ln 2 split in a high and a low part, and the coefficients of
// its polynomial for e^r − 1 on |r| ≤ ln2/16 (close to, but not, 1/k!).
constexpr double kLog2e = 0x1.71547652b82fep+0;
constexpr double kLn2High = 0x1.62e42fefa39efp-1;
constexpr double kLn2Low = 0x1.abc9e3b39803fp-56;
constexpr double kC2 = 0x1.0000000002622p-1;
constexpr double kC3 = 0x1.5555554b508a2p-3;
constexpr double kC4 = 0x1.555564bb4f5f0p-5;
constexpr double kC5 = 0x1.1106603d97c00p-7;
constexpr double kC6 = 0x1.72eb5ef0d213dp-10;
// 1.5·2^48 + 1023: adding it leaves x·log2(e) with 4 bits after the point in the low bits
constexpr double kShifter = 0x1.8000000003ff0p+48;
// Beyond this |x| the result may leave the normal range (2^1021)
constexpr double kRareThreshold = 0x1.61da04cbafe44p+9;

}  // namespace

double numpy_exp(double x) {
  if (!(std::abs(x) < kRareThreshold)) return std::exp(x);
  // t = x·log2(e) + shifter rounded toward zero (SVML sets that rounding on this one fused
  // multiply-add). Rounded to nearest, t is one step of 1/16 too high exactly when the
  // rounding went up, which the sign of the remainder x·log2(e) + (shifter − t) tells.
  double t = std::fma(x, kLog2e, kShifter);
  if (std::fma(x, kLog2e, kShifter - t) < 0.0) t -= 0x1p-4;
  // N = M + j/16 ≈ x·log2(e), rounded down to sixteenths
  const double N = t - kShifter;
  const auto j = static_cast<std::size_t>(std::bit_cast<std::uint64_t>(t) & 15u);
  // r = x − N·ln 2, in two steps so that ln 2's rounding error does not enter r
  double r = std::fma(-N, kLn2High, x);
  r = std::fma(-N, kLn2Low, r);
  // e^r − 1 = r + c2 r² + r³ (c3 + c4 r + r² (c5 + c6 r)), in SVML's order of operations
  const double r2 = r * r;
  const double r3 = r2 * r;
  const double c56 = std::fma(kC6, r, kC5);
  const double c34 = std::fma(kC4, r, kC3);
  const double low = std::fma(r2, kC2, r);
  const double high = std::fma(r2, c56, c34);
  const double em1 = std::fma(r3, high, low);
  // e^x = 2^M · (2^(j/16) + 2^(j/16)(e^r − 1))
  const double T = powers_of_two_sixteenths()[j];
  return std::ldexp(std::fma(T, em1, T), static_cast<int>(std::floor(N)));
}

arma::mat numpy_exp(arma::mat X) {
  X.transform([](double x) { return numpy_exp(x); });
  return X;
}

arma::mat numpy_sigmoid(const arma::mat& Z) {
  return 1.0 / (1.0 + numpy_exp(-Z));
}

arma::rowvec numpy_wT_X(const arma::vec& w, const arma::mat& X) {
  const SingleThreadedBlas one_thread;
  arma::rowvec Z(X.n_cols);
  for (int part = 0; part < 2; ++part) {
    const Share mine = share(X.n_cols, part, 2);
    if (mine.count == 0) continue;
    // the share's columns, in place (no copy): X(:, first … first + count − 1)
    const arma::mat columns(const_cast<double*>(X.colptr(mine.first)), X.n_rows, mine.count, false,
                            true);
    Z.cols(mine.first, mine.first + mine.count - 1) = w.t() * columns;
  }
  return Z;
}

}  // namespace nn
