// Data parallelism, as chapter 05 trains: each core takes a share of a batch's samples through
// forward and backward on its own, and the cores meet at a barrier to combine their gradients.
#pragma once
#include <armadillo>
#include <atomic>

namespace nn {

// The part-th of `parts` consecutive shares of n items, as equal as can be (the first
// n mod parts shares hold one item more): items first … first + count − 1.
struct Share {
  arma::uword first = 0, count = 0;
};
Share share(arma::uword n, int part, int parts);

// Where `threads` threads wait until all of them have arrived; then all go on. Reusable: the
// same barrier serves every step. A step's shares finish microseconds apart, less than waking a
// sleeping thread takes, so a waiting thread first spins; it sleeps only when the wait is long.
class SpinBarrier {
 public:
  explicit SpinBarrier(int threads) : threads_(threads) {}
  void arrive_and_wait();

 private:
  const int threads_;
  std::atomic<int> arrived_{0};
  std::atomic<unsigned> generation_{0};  // how many times all have arrived
};

// While one lives, OpenBLAS runs every product on the thread that calls it, alone. Two cores
// that each multiply their own share must not also start BLAS's helper threads, which would
// compete with them; and a product then rounds the same way on any machine, whatever its
// number of cores (BLAS splits a product among threads differently from a single thread).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas();
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  int previous_threads_;
};

}  // namespace nn
