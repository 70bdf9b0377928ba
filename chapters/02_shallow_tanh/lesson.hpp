// Chapter 2: one hidden layer of tanh units separates the planar "flower", which no single
// neuron can. A port of the numpy lesson that starts from its very data and weights.
#pragma once
#include <armadillo>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/nn/activations.hpp"
#include "common/nn/neuron.hpp"
#include "common/nn/progress.hpp"
#include "datasets/synthetic.hpp"

namespace ch02 {

// --seed when none is given: the lesson's seeds (see Seeds).
inline constexpr std::uint32_t kDefaultSeed = 1;

struct Options {
  int hidden_units = 4;                                 // n_h
  double learning_rate = 1.2;                           // α
  int iterations = 10000;                               // full-batch gradient steps
  std::vector<int> study_sizes{1, 2, 3, 4, 5, 20, 50};  // n_h of the hidden-size study
  int study_iterations = 5000;                          // steps per network of the study
  double init_scale = 0.01;  // the initial weights are init_scale · standard normal draws
  nn::Activation g1 = nn::Activation::tanh;  // the hidden units' g1 (the chapter's is tanh)
};

// The seeds of one run: --seed S draws the flower with S and the initial weights with S + 1,
// so the default S = 1 gives the lesson's seeds 1 (data) and 2 (weights).
struct Seeds {
  std::uint32_t data, init;
};
Seeds seeds_from(std::uint32_t seed);

// The network n_x → n_h (g1: tanh) → n_y (σ).
struct Parameters {
  arma::mat W1;  // n_h × n_x
  arma::mat b1;  // n_h × 1
  arma::mat W2;  // n_y × n_h
  arma::mat b2;  // n_y × 1
  nn::Activation g1 = nn::Activation::tanh;
};

// What forward computes and backward needs again; every matrix has one column per sample.
struct Cache {
  arma::mat Z1, A1;  // n_h × m
  arma::mat Z2, A2;  // n_y × m
};

// dW1 = ∂J/∂W1 and so on: each has the shape of its parameter.
struct Gradients {
  arma::mat dW1, db1, dW2, db2;
};

// W = randn·scale (numpy's order, seed `seed`), b = 0, as the lesson's initialize_parameters
// with its scale 0.01; hidden units g1.
Parameters initialize_parameters(arma::uword n_x, arma::uword n_h, arma::uword n_y,
                                 std::uint32_t seed, double scale = 0.01,
                                 nn::Activation g1 = nn::Activation::tanh);
Cache forward(const Parameters& p, const arma::mat& X);       // X: n_x × m
double compute_cost(const Cache& cache, const arma::mat& Y);  // Y: n_y × m
// The cost as the lesson writes it, from A2 (−inf when A2 rounds to 0 or 1); for the tests.
double compute_cost_from_A2(const Cache& cache, const arma::mat& Y);
Gradients backward(const Parameters& p, const Cache& cache, const arma::mat& X, const arma::mat& Y);
void update(Parameters& p, const Gradients& grads, double learning_rate);

struct Training {
  Parameters parameters;      // after the last step
  std::vector<double> costs;  // J before each step, one per iteration
};
// Full-batch gradient descent from `initial`; one progress step every 1000 iterations.
Training train(const nn::Dataset& data, Parameters initial, double learning_rate, int iterations,
               nn::Progress& progress);
// The first iteration whose cost is higher than the one before: where gradient descent stops
// going downhill (the step has become too long for the valley); none when it never happens.
std::optional<std::size_t> first_rise(const std::vector<double>& costs);
// The levels whose first crossing the program reports: 0.5 and 0.3.
const std::vector<double>& cost_levels();
// A2 = P(y = 1 | x), 1 × m; the predicted class is A2 > 0.5.
arma::mat predict_proba(const Parameters& p, const arma::mat& X);

// The hidden-size study: one network per n_h, each from the same seed, trained alike.
struct StudyResult {
  int hidden_units;
  double accuracy;  // percent, on the 400 training points
  Parameters parameters;
};
// One progress step per network.
std::vector<StudyResult> hidden_size_study(const nn::Dataset& data, const std::vector<int>& sizes,
                                           double learning_rate, int iterations,
                                           std::uint32_t init_seed, double init_scale,
                                           nn::Activation g1, nn::Progress& progress);

// The points of an n × n grid over the data's range, one more unit on each side: 2 × n².
// The first coordinate varies fastest, the order an image of the grid is read in.
arma::mat grid_over(const arma::mat& X, arma::uword n);

// What each model says on a grid over the plane: the background of a boundary map.
struct Map {
  arma::mat grid;            // 2 × n², from grid_over
  std::vector<arma::mat> A;  // one 1 × n² row of P(y = 1 | x) per model
};

// What the lesson found.
struct Results {
  Seeds seeds;
  nn::Dataset data;        // the flower: X 2 × 400, Y 1 × 400
  nn::NeuronLayer neuron;  // the baseline: one sigmoid neuron, chapter 1's model, trained
  double baseline_cost = 0.0;
  double baseline_accuracy = 0.0;  // percent
  Training training;               // the network 2 → n_h → 1
  double final_cost = 0.0;         // J of the trained network
  double accuracy = 0.0;           // percent, on the 400 points
  std::optional<std::size_t> first_cost_rise;
  std::vector<std::optional<std::size_t>> first_cost_below;  // one per cost_levels()
  std::vector<StudyResult> study;
  Map boundaries;  // 200 × 200 points: the network, then the neuron
  Map study_maps;  // 100 × 100 points: each network of the study, then the neuron
  double seconds = 0.0;
};

// The whole lesson: data → baseline neuron → network → how many hidden units → maps.
Results run(const Options& options, std::uint32_t seed, nn::Progress& progress);

}  // namespace ch02
