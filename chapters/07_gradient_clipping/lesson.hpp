// Chapter 07: gradient clipping. Exploding gradients come from long products of large factors;
// clipping caps the step before it is taken. Three parts:
//   1. the cliff: one recurrent unit x_t = w·σ(x_{t−1}) + b, whose error surface has walls,
//   2. a deep leaky-ReLU network that diverges without clipping and trains with it,
//   3. the threshold θ: a sweep around the average gradient norm.
#pragma once
#include <armadillo>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/nn/mlp.hpp"
#include "common/nn/progress.hpp"
#include "datasets/synthetic.hpp"

namespace ch07 {

struct Options {
  // The cliff: gradient descent from (w0, b0) with and without clipping by norm.
  double cliff_w0 = 5.0, cliff_b0 = -2.2;
  double cliff_lr = 0.1;
  int cliff_steps = 200;
  double cliff_threshold = 1.0;
  // The deep network on the planar flower: `layers` weight layers of `width` leaky-ReLU units.
  int layers = 10;
  int width = 16;
  nn::Activation activation = nn::Activation::leaky_relu;  // of the hidden units
  double init_gain = 1.5;  // He initialisation × gain: > 1 makes every layer amplify
  double lr = 0.1;
  int iterations = 1000;
  double threshold = 1.0;  // θ of clip by norm; clip by value uses c = θ/√P
};

// ---- 1. The cliff ----------------------------------------------------------------------------

// x_0 = 0.5, 50 steps of x_t = w·σ(x_{t−1}) + b, error E = (σ(x_50) − 0.7)² (Pascanu et al. 2013).
inline constexpr int kCliffSteps = 50;
inline constexpr double kCliffX0 = 0.5;
inline constexpr double kCliffTarget = 0.7;

double cliff_error(double w, double b);
// E at many points (w_k, b_k) at once, element-wise: the error surface of the figure.
arma::vec cliff_errors(const arma::vec& w, const arma::vec& b);

struct CliffGradient {
  double E, dw, db;  // E and ∂E/∂w, ∂E/∂b
};
// E and its exact gradient by backpropagation through the 50 steps.
CliffGradient cliff_gradient(double w, double b);

// A gradient-descent path on the cliff: point k is after k steps (k = 0 … steps).
struct CliffPath {
  arma::vec w, b, E;
  arma::vec grad_norm;  // ‖(∂E/∂w, ∂E/∂b)‖ before clipping at each point
};
// `threshold` empty: plain gradient descent; otherwise clip by norm at θ. Throws
// nn::DivergedError naming --cliff-lr when a step leaves the finite numbers, or is so long
// that the point it starts from is lost to rounding.
CliffPath descend_cliff(double w0, double b0, double lr, int steps,
                        std::optional<double> threshold);

// The window of the error surface the figure shows: both plateaus and the wall between them.
inline constexpr double kWLo = 3.5, kWHi = 5.5, kBLo = -3.0, kBHi = -1.5;
inline constexpr arma::uword kGrid = 201;  // kGrid × kGrid points

struct Cliff {
  CliffPath plain, clipped;  // from the same start, without and with clipping by norm
  // The first step whose gradient exceeds θ: until then both runs are one (none: never).
  std::optional<arma::uword> first_clip;
  arma::uword jump;   // the step of the largest gradient of the plain run
  arma::vec w, b, E;  // the error surface over the window, kGrid² points
};
// 1. Both descents from (cliff_w0, cliff_b0) and the error surface around them.
Cliff cliff(const Options& o);

// ---- 2. The deep network ---------------------------------------------------------------------

// sizes {2, width, …, width, 1}, hidden layers of options.activation (leaky ReLU), sigmoid
// output; W[l] = gain·He, b[l] = 0.
nn::Mlp deep_network(const Options& options, std::uint32_t seed);
arma::uword parameter_count(const nn::Mlp& net);

enum class Clip { none, by_norm, by_value };

struct Training {
  std::vector<double> cost;       // J before each step and after the last one
  std::vector<double> grad_norm;  // ‖g‖ before clipping, one per step
  long clipped_steps = 0;
  double cosine_sum = 0.0;          // Σ cos ∠(g, clipped g) over the clipped steps
  std::optional<long> diverged_at;  // the step whose cost was inf/NaN, if any
  double accuracy = 0.0;            // percent correct on the training set at the end
  long steps() const { return static_cast<long>(grad_norm.size()); }
  double fraction_clipped() const;
  // The average cos ∠(g, clipped g) over the clipped steps: 1 means the direction was kept.
  double mean_cosine() const;
};
// Full-batch gradient descent. A non-finite cost ends the run and sets `diverged_at`: here
// divergence is an outcome to report, not an error.
Training train(nn::Mlp net, const nn::Dataset& data, double lr, int iterations, Clip clip,
               double threshold);

// Why a run clipped by norm at θ still diverged, read from its record.
enum class Divergence {
  amplified,      // non-finite from the start, or a gradient overflowed: clipping cannot
                  // rescue inf or NaN (the initialisation amplifies too much)
  never_clipped,  // θ was above every gradient: clipping never acted
  steps_too_long  // every clipped step had length α·θ, and that length was still too long
};
Divergence why_diverged(const Training& run, double threshold);

// 2. The deep network trained three ways from the same initialisation. The clipped-by-norm run
// is meant to train; when it diverges too, its diverged_at says so (and run() stops there).
struct Deep {
  arma::uword parameters;  // P
  double value_threshold;  // c = θ/√P of clip by value
  Training plain, by_norm, by_value;
};
Deep deep(const Options& o, const nn::Dataset& data, std::uint32_t seed);

// ---- 3. The threshold ------------------------------------------------------------------------

// One threshold θ = multiple × average gradient norm, trained from several initialisations:
// one run says little where a single unlucky step can decide the outcome.
struct SweepPoint {
  double multiple, threshold;
  std::vector<Training> runs;  // one per initialisation
  // The mean final loss of the runs that did not diverge (NaN when none survived).
  double mean_final_loss() const;
  long diverged() const;
};
// For each multiple, clip-by-norm training from the initialisations seed, seed + 1, ….
std::vector<SweepPoint> threshold_sweep(const nn::Dataset& data, const Options& options,
                                        std::uint32_t seed, int initialisations,
                                        double average_norm, const std::vector<double>& multiples,
                                        nn::Progress& progress);

inline constexpr int kInitialisations = 3;  // runs per threshold of the sweep

struct Results {
  Cliff cliff;                    // 1.
  Deep deep;                      // 2.
  double average_grad_norm;       // ‖g‖ before clipping, averaged over the clip-by-norm run
  std::vector<SweepPoint> sweep;  // 3.
  double seconds = 0;
};

// 1. the cliff → 2. the deep network → 3. the threshold sweep; no sweep (and no average) when
// the clipped-by-norm run of 2 diverged, as there is then no average gradient norm to sweep
// around.
Results run(const Options& options, std::uint32_t seed, nn::Progress& progress);

}  // namespace ch07
