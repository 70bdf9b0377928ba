// Chapter 1: logistic regression as a network of one neuron. A sigmoid unit reads the 12288
// pixel values of a 64×64 colour photo and says "cat" (1) or "non-cat" (0). Zero start,
// full-batch gradient descent, and the course's numbers to six digits.
#pragma once
#include <armadillo>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/nn/progress.hpp"
#include "common/plumbing/hdf5_data.hpp"  // nn::CatSet

namespace ch01 {

// The lesson's hyperparameters (the course's defaults).
struct Options {
  int iterations = 2000;         // full-batch gradient steps
  double learning_rate = 0.005;  // α
};

// The cat pictures, as the course prepares them (nn::load_cat_set reads them).
using nn::CatSet;

// The neuron: z = wᵀx + b. (w is the one row of a layer's W, written as a column, as the
// course writes it.) The later chapters share this model as nn::NeuronLayer
// (common/nn/neuron.hpp), in a layer's shapes; this chapter spells it out in the course's own,
// step by step, so that its digits are the course's.
struct Neuron {
  arma::vec w;  // w: n_x × 1
  double b = 0.0;
};

// Z = wᵀX + b and A = σ(Z) for all m samples at once.
struct Forward {
  arma::rowvec Z;  // Z: 1 × m
  arma::rowvec A;  // A: 1 × m
};

// ∂J/∂w and ∂J/∂b.
struct Gradients {
  arma::vec dw;  // dw: n_x × 1
  double db = 0.0;
};

// One training run: the cost before each update, and the trained neuron.
struct Training {
  Neuron neuron;
  std::vector<double> costs;  // costs[i] = J before the update of iteration i
  int textbook_failures = 0;  // iterations at which J computed from A was inf or NaN
};

// A trained neuron's scores, as the course reports them.
struct Evaluation {
  double learning_rate = 0.0;
  double train_accuracy = 0.0;   // percent
  double test_accuracy = 0.0;    // percent
  double final_cost = 0.0;       // J of the trained neuron on the training set
  int textbook_failures = 0;     // see Training
  double final_curvature = 0.0;  // λ of the trained neuron (see curvature)
};

// The textbook cost −(1/m) Σ [y ln a + (1 − y) ln(1 − a)] from A: inf or NaN as soon as some
// a rounds to exactly 0 or 1 (the lesson uses the stable nn::binary_cross_entropy instead).
double textbook_cost(const arma::rowvec& A, const arma::rowvec& Y);

Neuron initialize_zeros(arma::uword n_x);
Forward forward(const Neuron& neuron, const arma::mat& X);
// The gradient of the cross-entropy cost, from the forward pass's A.
Gradients backward(const arma::mat& X, const arma::rowvec& A, const arma::rowvec& Y);
void update(Neuron& neuron, const Gradients& grads, double learning_rate);

// Throws nn::DivergedError naming the iteration when every a is exactly 0 or 1.
void check_not_saturated(const arma::rowvec& A, long iteration);

// `iterations` steps of gradient descent from w = 0, b = 0; one progress step every 100
// iterations. Throws nn::DivergedError when J is inf, NaN or past the saturated outputs'
// (nn::check_cost), or when every a is exactly 0 or 1.
Training train(const arma::mat& X, const arma::rowvec& Y, const Options& options,
               nn::Progress& progress);

// G = X̃ᵀX̃ (m × m), X̃ being X with a row of ones appended (the input that b multiplies).
arma::mat gram(const arma::mat& X);
// The largest eigenvalue λ of the Hessian of J with respect to (w, b) where the neuron
// outputs A, from G = gram(X). Gradient descent overshoots along that direction when α > 2/λ.
double curvature(const arma::mat& G, const arma::rowvec& A);

// Prediction 1 when a > 0.5.
arma::rowvec predict(const Neuron& neuron, const arma::mat& X);
// Throws nn::DivergedError when the trained neuron saturates on every training picture.
Evaluation evaluate(const Training& training, const CatSet& data, const arma::mat& G,
                    double learning_rate);

// The learning rates of the course's comparison, largest first.
const std::vector<double>& study_learning_rates();

// The detour of "Why dZ = A − Y", after Nielsen's experiment (Neural Networks and Deep
// Learning, chapter 3): one sigmoid neuron, one input x = 1 whose answer is y = 0, trained from
// a start (w, b) on the squared error 𝓛 = ½(a − y)² or on the cross-entropy.
enum class Cost { squared_error, cross_entropy };

struct OneInputRun {
  Cost cost = Cost::cross_entropy;
  double w = 0.0, b = 0.0;        // the start
  double learning_rate = 0.0;     // α
  std::vector<double> outputs;    // outputs[i] = a after i iterations (i = 0: the start)
  std::vector<double> losses;     // losses[i] = 𝓛 after i iterations
  std::vector<double> gradients;  // gradients[i] = ∂𝓛/∂z of the step of iteration i
};

// `iterations` gradient steps on the one input, each along the gradient of `cost`.
OneInputRun learn_one_input(Cost cost, double w, double b, double learning_rate, int iterations);

// The experiment's four runs: from (w, b) = (0.6, 0.9), a little wrong, and from (2, 2),
// confidently wrong, each on both costs, at α = 0.15 for 300 iterations.
std::vector<OneInputRun> slowdown_experiment();

// What the lesson found: the data it used, the lesson's run and the learning-rate study.
struct Results {
  CatSet data;                   // the pictures (the figure shows the test set)
  double curvature_start = 0.0;  // λ at w = 0, b = 0, where every a is ½
  Training lesson;               // the run at options.learning_rate
  Evaluation evaluation;         // its scores
  arma::rowvec test_A;           // a of the trained neuron for each test picture: 1 × m_test
  arma::rowvec test_prediction;  // ŷ = 1 when a > ½: 1 × m_test
  std::vector<Training> study;   // one run per study_learning_rates(), in that order
  std::vector<Evaluation> study_evaluations;
  std::vector<OneInputRun> slowdown;  // the detour: slowdown_experiment()
  double seconds = 0.0;
};

// The whole lesson: data → curvature at the start → train → evaluate → learning-rate study,
// and the detour's one-input experiment.
Results run(const Options& options, const std::filesystem::path& data_dir, nn::Progress& progress);

}  // namespace ch01
