// numpy's legacy RandomState (np.random.seed / rand / randn / permutation), bit for bit, so
// that chapters ported from the numpy course draw the very same data and initial weights.
#pragma once
#include <armadillo>
#include <cstdint>
#include <random>

namespace nn {

class NumpyRandom {
 public:
  explicit NumpyRandom(std::uint32_t seed = 0) { this->seed(seed); }

  // np.random.seed(s): the Mersenne Twister seeded with s; forgets the cached gaussian.
  void seed(std::uint32_t s);

  // np.random.random_sample(): a double in [0, 1) from 53 random bits.
  double random_sample();
  // np.random.uniform(low, high) = low + (high − low)·random_sample()
  double uniform(double low, double high) { return low + (high - low) * random_sample(); }
  // np.random.randn(): a standard normal by the polar method (two per draw, one cached).
  double randn();
  // An integer uniform on [0, max] by masked rejection, as numpy's random_interval.
  std::uint64_t interval(std::uint64_t max);

  // Arrays fill in numpy's row-major order: element (0,0), (0,1), …, (1,0), …
  arma::mat randn(arma::uword rows, arma::uword cols);
  arma::mat rand(arma::uword rows, arma::uword cols);  // np.random.rand(rows, cols)
  arma::mat uniform(arma::uword rows, arma::uword cols, double low, double high);
  // np.random.permutation(n): 0…n−1 shuffled by Fisher–Yates from the back.
  arma::uvec permutation(arma::uword n);

 private:
  std::mt19937 mt_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace nn
