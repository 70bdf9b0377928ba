// Arithmetic rounded exactly as numpy rounds it. Where a chapter retraces a numpy lesson on a
// chaotic path (chapter 01 at α = 0.05), one differently rounded last bit grows until the run
// ends elsewhere; these keep the program on numpy's path.
#pragma once
#include <armadillo>

namespace nn {

// Σ a[i] added in np.sum's order: eight running sums combined as a tree, long arrays split
// in halves (numpy's pairwise summation), not left to right.
double pairwise_sum(const double* a, arma::uword n);

// e^x as numpy 1.24 computes it for float64 arrays on CPUs with AVX-512, where np.exp calls
// Intel's SVML routine instead of the C library: it differs from std::exp in the last bit
// for about a quarter of all arguments. Same operations, same constants, one lane at a time,
// so the result is the same bit pattern on every machine. For |x| ≥ 707.7 (near overflow
// and underflow) SVML switches to a scalar routine; there this returns std::exp(x).
double numpy_exp(double x);
arma::mat numpy_exp(arma::mat X);

// wᵀX (1 × m, one weighted sum per column of X) rounded as numpy's call into OpenBLAS rounded it
// for the course's reference runs, on two threads: OpenBLAS gives each thread a consecutive
// share of the columns (⌈m/2⌉, then ⌊m/2⌋), and its kernel rounds a column's sum differently
// depending on where the column falls in its share. Each share is multiplied here on one
// thread, so the bits are the same on a machine with any number of cores.
arma::rowvec numpy_wT_X(const arma::vec& w, const arma::mat& X);

// σ(z) = 1 / (1 + e^−z) with numpy's e^−z: chapter 01's σ, so that its chaotic α = 0.05 run
// retraces the course's to the last digit. (Everywhere else σ is nn::sigmoid.)
arma::mat numpy_sigmoid(const arma::mat& Z);

}  // namespace nn
