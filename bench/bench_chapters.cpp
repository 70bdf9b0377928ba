// The benchmark's C++ side: times the chapters' own training code on synthetic data shaped like
// the real sets (timings do not depend on pixel values), and the BLAS products that bound it.
// Prints one JSON object per line, as bench/peers.py does, with the OpenBLAS kernels it ran with
// ("blas_kernel"); bench/run_bench.sh runs both in turn.
//   bench_cpp mnist_epoch REPEATS    chapter 5's training epoch (55000 images, batch 128, α 0.2)
//   bench_cpp logistic_2000 REPEATS  chapter 1's 2000 iterations on 12288 × 209 inputs
//   bench_cpp gemm_bound REPEATS     the GEMMs of one batch-128 step, and a large square product
//   bench_cpp flower_1000 REPEATS    chapter 2's 1000 iterations at its defaults (2-4-1 tanh)
//   bench_cpp spiral_1000 REPEATS    chapter 9's 1000 iterations of its network (2-100-3 ReLU)
// (the last two: what the web book's playground runs; bench/playground.mjs times its engine)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "chapters/01_logistic_neuron/lesson.hpp"
#include "chapters/02_shallow_tanh/lesson.hpp"
#include "chapters/05_mnist_three_layer/lesson.hpp"
#include "chapters/09_spiral_classes/lesson.hpp"
#include "common/plumbing/blas_kernel.hpp"
#include "common/plumbing/memory.hpp"
#include "common/plumbing/parallel.hpp"
#include "common/plumbing/progress.hpp"
#include "common/plumbing/results.hpp"

namespace {

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The seconds of each of `repeats` runs of `work`.
std::vector<double> seconds_of_each(int repeats, const std::function<void()>& work) {
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) seconds.push_back(seconds_of(work));
  return seconds;
}

// MNIST-shaped data: 55000 training columns of 784 values in [0, 1), random digits.
ch05::Data mnist_shaped() {
  arma::arma_rng::set_seed(0);
  const auto split = [](arma::uword m) {
    ch05::Split s;
    s.X = arma::randu<arma::fmat>(ch05::n_x, m);
    s.labels = arma::randi<arma::uvec>(m, arma::distr_param(0, 9));
    s.Y = arma::zeros<arma::fmat>(ch05::n_3, m);
    for (arma::uword j = 0; j < m; ++j) s.Y(s.labels(j), j) = 1;
    return s;
  };
  // A one-column validation split: the peers evaluate nothing between epochs either.
  return ch05::Data{split(55000), split(1), split(1)};
}

std::vector<double> mnist_epochs(int repeats) {
  const ch05::Data data = mnist_shaped();
  nn::NumpyRandom rng(1);
  auto p =
      ch05::convert<float>(ch05::initialize(rng, {ch05::n_x, ch05::n_1, ch05::n_2, ch05::n_3}));
  nn::NoProgress quiet;
  const nn::TwoCoreTeam cores;
  return ch05::train(p, data, repeats, 0.2f, 128, 0.0, rng, quiet, cores).history.seconds;
}

std::vector<double> logistic_runs(int repeats) {
  arma::arma_rng::set_seed(0);
  const arma::mat X = arma::randu(12288, 209);
  const arma::rowvec Y = arma::conv_to<arma::rowvec>::from(arma::randu<arma::rowvec>(209) > 0.5);
  nn::NoProgress quiet;
  return seconds_of_each(repeats, [&] { ch01::train(X, Y, ch01::Options{2000, 0.005}, quiet); });
}

// Chapter 2's network as the playground starts it: the flower, the defaults' weights.
std::vector<double> flower_runs(int repeats) {
  const ch02::Options o;
  const ch02::Seeds seeds = ch02::seeds_from(ch02::kDefaultSeed);
  const nn::Dataset data = nn::make_planar_flower(seeds.data);
  const ch02::Parameters p =
      ch02::initialize_parameters(2, o.hidden_units, 1, seeds.init, o.init_scale, o.g1);
  nn::NoProgress quiet;
  return seconds_of_each(repeats, [&] { ch02::train(data, p, o.learning_rate, 1000, quiet); });
}

// Chapter 9's network on the spiral, as its program trains it (BLAS on one thread, freed
// memory kept for the next step).
std::vector<double> spiral_runs(int repeats) {
  const nn::SingleThreadedBlas one_thread;
  nn::reuse_freed_memory();
  const ch09::Options o;
  const ch09::Seeds seeds = ch09::seeds_from(ch09::kDefaultSeed);
  const ch09::Data d = ch09::labelled(nn::make_spiral(seeds.train, 100, ch09::kClasses));
  const nn::Mlp start =
      ch09::initialize({2, static_cast<arma::uword>(o.hidden_units), ch09::kClasses}, seeds.init);
  const nn::Penalty l2{nn::Penalty::Kind::l2, o.reg, 1.0};
  nn::NoProgress quiet;
  return seconds_of_each(repeats,
                         [&] { ch09::train(start, d, o.learning_rate, l2, 1000, 1000, quiet); });
}

// The median time of `work` over enough calls to make it measurable.
double median_seconds(const std::function<void()>& work, int calls) {
  std::vector<double> t;
  for (int i = 0; i < calls; ++i) t.push_back(seconds_of(work));
  std::nth_element(t.begin(), t.begin() + calls / 2, t.end());
  return t[calls / 2];
}

// One batch-128 step's products in float (forward 3, backward 5; the first layer's dA1 … dX is
// not needed), timed alone: their sum × steps per epoch is what no epoch can beat.
nn::Json gemm_bound(int repeats) {
  using arma::fmat;
  const arma::uword m = 128;
  const fmat W1(64, 784, arma::fill::randu), W2(16, 64, arma::fill::randu),
      W3(10, 16, arma::fill::randu), X(784, m, arma::fill::randu), A1(64, m, arma::fill::randu),
      A2(16, m, arma::fill::randu), dZ3(10, m, arma::fill::randu), dZ2(16, m, arma::fill::randu),
      dZ1(64, m, arma::fill::randu);
  fmat Z1(64, m), Z2(16, m), Z3(10, m), dW3(10, 16), dA2(16, m), dW2(16, 64), dA1(64, m),
      dW1(64, 784);
  const std::vector<std::function<void()>> step{
      [&] { Z1 = W1 * X; },        [&] { Z2 = W2 * A1; },       [&] { Z3 = W3 * A2; },
      [&] { dW3 = dZ3 * A2.t(); }, [&] { dA2 = W3.t() * dZ3; }, [&] { dW2 = dZ2 * A1.t(); },
      [&] { dA1 = W2.t() * dZ2; }, [&] { dW1 = dZ1 * X.t(); }};
  std::vector<double> epochs;
  for (int r = 0; r < repeats; ++r) {
    double per_step = 0;
    for (const auto& product : step) per_step += median_seconds(product, 400);
    epochs.push_back(per_step * 55000.0 / m);
  }
  const fmat A(2048, 2048, arma::fill::randu), B(2048, 2048, arma::fill::randu);
  fmat C(2048, 2048);
  const double square = median_seconds([&] { C = A * B; }, 5);
  return {{"workload", "mnist_epoch"},
          {"impl", "gemm_bound"},
          {"precision", "float32"},
          {"seconds", epochs},
          {"square_2048_gflops", 2.0 * 2048 * 2048 * 2048 / square / 1e9}};
}

}  // namespace

int main(int argc, char** argv) {
  if (const std::string refused = nn::use_best_blas_kernel(argv); !refused.empty()) {
    std::cerr << "bench_cpp: " << refused << '\n';
    return 2;
  }
  const std::string workload = argc > 1 ? argv[1] : "";
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 3;
  nn::Json out;
  if (workload == "mnist_epoch") {
    out = {{"workload", workload},
           {"impl", "cpp"},
           {"precision", "float32"},
           {"seconds", mnist_epochs(repeats)}};
  } else if (workload == "logistic_2000") {
    out = {{"workload", workload},
           {"impl", "cpp"},
           {"precision", "float64"},
           {"seconds", logistic_runs(repeats)}};
  } else if (workload == "flower_1000" || workload == "spiral_1000") {
    out = {{"workload", workload},
           {"impl", "cpp"},
           {"precision", "float64"},
           {"seconds", workload == "flower_1000" ? flower_runs(repeats) : spiral_runs(repeats)}};
  } else if (workload == "gemm_bound") {
    out = gemm_bound(repeats);
  } else {
    std::fprintf(stderr,
                 "usage: bench_cpp mnist_epoch|logistic_2000|gemm_bound|flower_1000|spiral_1000 "
                 "[REPEATS]\n");
    return 2;
  }
  out["blas_kernel"] = nn::blas_kernel();
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
