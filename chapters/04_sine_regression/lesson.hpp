// Chapter 04: regression. A 1-n_h-1 network (sigmoid hidden layer, identity output) fits
// y = sin 2πx from 450 noisy samples, is judged by every regression metric, is compared with a
// least-squares polynomial, and has its hyperparameters chosen by grid and by random search.
// The maths and the story are in lesson.cpp, the hyperparameter search in search.cpp.
#pragma once
#include <armadillo>
#include <cstdint>
#include <vector>

#include "common/nn/numpy_random.hpp"
#include "common/nn/progress.hpp"
#include "datasets/synthetic.hpp"

namespace ch04 {

// The lesson's grid of learning rates: 0.01, 0.1, 1, 10, evenly spaced in log between the
// bounds of the random search.
std::vector<double> lesson_grid_rates();

struct Options {
  int hidden = 3;              // n_h, hidden units
  double learning_rate = 0.5;  // α
  int batch = 10;              // samples per gradient step
  int epochs = 10000;          // at most this many passes over the training set
  double stop_loss = 0.002;    // stop once the validation cost J is at or below it
  int search_epochs = 500;     // the shorter budget of each hyperparameter-search trial
  std::vector<double> grid_rates = lesson_grid_rates();  // the grid's 4 learning rates
};

// The noise ε ~ U(−0.1, 0.1) has E[ε²] = 0.2²/12, so even the true sine has an expected cost
// J = ½ E[ε²] = 1/600 on noisy points: no model can do better on average.
inline constexpr double kNoiseFloor = 0.5 * 0.2 * 0.2 / 12.0;

// ---- data -------------------------------------------------------------------------------

// Training, validation and test sets; X is 1 × m, Y is 1 × m.
struct Split {
  nn::Dataset train, validation, test;
};

// The last tenth of the generated training points becomes the validation set.
Split split_validation(const nn::SineData& data);

// ---- model ------------------------------------------------------------------------------

struct Network {
  arma::mat W1;  // n_h × 1
  arma::mat b1;  // n_h × 1
  arma::mat W2;  // 1 × n_h
  arma::mat b2;  // 1 × 1
  arma::uword hidden() const { return W1.n_rows; }
};

// Xavier-scaled normal weights (W1 drawn first, then W2) and zero biases.
Network initialize(arma::uword n_h, nn::NumpyRandom& rng);

// What forward keeps for backward.
struct Cache {
  arma::mat Z1, A1;  // n_h × m
  arma::mat A2;      // 1 × m, the prediction ŷ
};

// The forward pass over X (1 × m); its A2 is ŷ.
Cache forward(const Network& net, const arma::mat& X);
arma::mat predict(const Network& net, const arma::mat& X);  // ŷ: 1 × m

struct Gradients {
  arma::mat dW1, db1, dW2, db2;  // shapes of W1, b1, W2, b2
};

// ∂J/∂(W1, b1, W2, b2) of J = (1/2m) Σ (a − y)² from a forward cache.
Gradients backward(const Network& net, const Cache& cache, const arma::mat& X, const arma::mat& Y);
// One step of gradient descent: W1 −= α dW1, and so on.
void update(Network& net, const Gradients& grads, double learning_rate);

// Each unit's share of the output: row j is w2_j·σ(w1_j x + b1_j), so ŷ = Σ_j row j + b2.
arma::mat hidden_contributions(const Network& net, const arma::mat& X);  // n_h × m

// ---- training ---------------------------------------------------------------------------

struct TrainConfig {
  double learning_rate;
  arma::uword batch;
  int max_epochs;
  double stop_loss;
};

struct History {
  std::vector<double> train_loss, validation_loss;  // J after each epoch
  int epochs() const { return static_cast<int>(train_loss.size()); }
};

// One training run: the network it ends with, and its costs on the way.
struct Training {
  Network net;  // after the last epoch
  History history;
};

// Mini-batch gradient descent from `net`, reshuffling the training set each epoch, until the
// validation cost is ≤ stop_loss or max_epochs have run. `progress` shows the costs every 100
// epochs.
Training train(Network net, const nn::Dataset& train_set, const nn::Dataset& validation,
               const TrainConfig& config, nn::NumpyRandom& rng, nn::Progress& progress);

// ---- evaluation -------------------------------------------------------------------------

struct Metrics {
  double mae, mape, sse, mse, rmse, r2;
};
Metrics evaluate(const arma::mat& y, const arma::mat& y_hat);

// ---- the polynomial baseline ------------------------------------------------------------

// The Vandermonde matrix: row i is (1, x_i, x_i², …, x_i^degree).
arma::mat vandermonde(const arma::mat& X, int degree);  // m × (degree + 1)
// Least-squares coefficients c (c_0 first) of the polynomial through (X, Y).
arma::vec fit_polynomial(const arma::mat& X, const arma::mat& Y, int degree);
arma::mat predict_polynomial(const arma::vec& c, const arma::mat& X);  // 1 × m

inline constexpr int kMaxDegree = 9;   // the polynomial sweep runs over degrees 1 … 9
inline constexpr int kBaseDegree = 3;  // the lesson's "single-layer" polynomial regression

struct PolynomialFit {
  int degree;
  arma::vec c;  // c_0 … c_degree
  double validation_loss, test_r2;
};
// Polynomials of degree 1 … kMaxDegree by least squares on the training set.
std::vector<PolynomialFit> polynomial_sweep(const Split& s);

// ---- hyperparameter search (search.cpp) -------------------------------------------------

struct Trial {
  int hidden;
  double learning_rate;
  double validation_loss;  // +inf when the trial diverged
  int epochs;
};

struct SearchResult {
  std::vector<Trial> trials;
  Trial best;
  Network best_net;
  long diverged() const;  // trials whose cost became inf or NaN
};

inline constexpr int kTrials = 16;    // the budget of each search
inline constexpr int kGridRates = 4;  // the grid: kGridRates rates × 4 widths = kTrials
inline constexpr double kMinRate = 0.01, kMaxRate = 10.0;
inline constexpr int kMinHidden = 1, kMaxHidden = 8;

// The grid: each of `rates` (kGridRates of them) × hidden {1, 2, 4, 8}.
std::vector<Trial> grid_candidates(const std::vector<double>& rates);
// kTrials draws: ln α uniform on [ln kMinRate, ln kMaxRate], n_h uniform on {1, …, 8}.
std::vector<Trial> random_candidates(nn::NumpyRandom& rng);
// Trains every candidate from the same seed and keeps the lowest validation cost.
SearchResult search(std::vector<Trial> candidates, const Split& split, const TrainConfig& config,
                    std::uint32_t seed);

// A search and its winner's score on the test set: the one time that set is touched for it.
struct Searched {
  SearchResult search;
  double test_r2;
};
// The grid search (over `grid_rates`) and the random search with the same budget of short
// trials.
struct Searches {
  Searched grid, random;
};
Searches search_both(const Split& s, const TrainConfig& config, int search_epochs,
                     const std::vector<double>& grid_rates, std::uint32_t seed);

// ---- the lesson -------------------------------------------------------------------------

// The curves of the figures, on the test points x (1 × 100).
struct TestCurves {
  arma::mat network;           // 1 × m: ŷ of the trained network
  arma::mat contributions;     // n_h × m: each hidden unit's share of ŷ
  arma::mat degree3, degree9;  // 1 × m: the cubic and the degree-9 polynomial
};

struct Results {
  Split data;
  Network net;
  History history;
  Metrics test;                            // the network on the test set
  std::vector<PolynomialFit> polynomials;  // degrees 1 … 9
  Metrics cubic_test;                      // the degree-3 polynomial on the test set
  Searches searches;
  TestCurves curves;
  double seconds = 0;
};

// data → model → train → evaluate → baseline → search.
Results run(const Options& options, std::uint32_t seed, nn::Progress& progress);

}  // namespace ch04
