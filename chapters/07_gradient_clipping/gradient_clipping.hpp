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

#include "common/cli.hpp"
#include "common/mlp.hpp"
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
// `threshold` empty: plain gradient descent; otherwise clip by norm at θ.
CliffPath descend_cliff(double w0, double b0, double lr, int steps,
                        std::optional<double> threshold);

// ---- 2. The deep network ---------------------------------------------------------------------

// sizes {2, width, …, width, 1}, leaky-ReLU hidden layers, sigmoid output; W[l] = gain·He, b[l] =
// 0.
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
                                        double average_norm, const std::vector<double>& multiples);

void run(const Options& options, const nn::CommonOptions& common);

}  // namespace ch07
