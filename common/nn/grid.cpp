#include "common/nn/grid.hpp"

namespace nn {

arma::rowvec linspace(double a, double b, arma::uword n) {
  arma::rowvec v(n);
  if (n == 0) return v;
  const double step = n > 1 ? (b - a) / static_cast<double>(n - 1) : 0.0;
  for (arma::uword i = 0; i < n; ++i) v(i) = static_cast<double>(i) * step + a;
  v(n - 1) = b;
  return v;
}

arma::mat grid_points(double x_lo, double x_hi, double y_lo, double y_hi, arma::uword n) {
  const arma::rowvec x = linspace(x_lo, x_hi, n), y = linspace(y_lo, y_hi, n);
  arma::mat G(2, n * n);  // G: 2 × n²
  for (arma::uword j = 0; j < n; ++j)
    for (arma::uword i = 0; i < n; ++i) G.col(j * n + i) = arma::vec{x(i), y(j)};
  return G;
}

}  // namespace nn
