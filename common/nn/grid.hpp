// Evenly spaced points: numpy's linspace, and the grid of points behind a map of a model's
// output over the plane (decision regions, error surfaces).
#pragma once
#include <armadillo>

namespace nn {

// np.linspace(a, b, n): a + i·step, with the last element exactly b.
arma::rowvec linspace(double a, double b, arma::uword n);

// The points of an n × n grid over [x_lo, x_hi] × [y_lo, y_hi] as the columns of a 2 × n²
// matrix, x varying fastest: a model evaluated on them gives a map that gnuplot draws
// `with image`.
arma::mat grid_points(double x_lo, double x_hi, double y_lo, double y_hi, arma::uword n);

}  // namespace nn
