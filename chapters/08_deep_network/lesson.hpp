// Chapter 8: a deep network, step by step. The L-layer network of deeplearning.ai's Course 1
// Week 4 ("Building your Deep Neural Network: Step by Step", "Deep Neural Network —
// Application"), back on chapter 1's cat pictures: [LINEAR → RELU] × (L−1) → LINEAR → SIGMOID,
// trained by full-batch gradient descent, with the course's numbers to the digit.
// The chapter writes the network out as the course does, one function per step
// (initialize_parameters_deep, L_model_forward, compute_cost, L_model_backward,
// update_parameters, L_layer_model), rather than train common/nn/mlp's: here those steps are
// the lesson, and the book quotes them line by line. They follow common/nn/mlp's conventions,
// and the chapter's test holds the two networks together; the chapters after this one train
// common/nn/mlp.
#pragma once
#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/nn/progress.hpp"         // nn::Progress
#include "common/plumbing/hdf5_data.hpp"  // nn::CatSet

namespace ch08 {

// How initialize_parameters_deep fills W[l] (b[l] is always 0).
enum class Init {
  small,  // randn(n_l, n_(l−1)) · 0.01: the course's 2-layer model
  sqrt,   // randn(n_l, n_(l−1)) / √n_(l−1): the course's L-layer model
  zeros,  // W = 0: every hidden unit the same (the symmetry problem)
  equal,  // W = 1/n_(l−1) everywhere: every hidden unit the same, but not idle
};

// n_x: the 64 × 64 × 3 bytes of a picture (nn::load_catvnoncat refuses any other size).
inline constexpr int kPixels = 64 * 64 * 3;

// The lesson's hyperparameters (the course's values).
struct Options {
  std::vector<int> layers;        // --layers n_x,n_1,…,1; empty: the lesson's two models
  Init init = Init::sqrt;         // with --layers: Init::sqrt or Init::small
  double learning_rate = 0.0075;  // α
  int iterations = 2500;          // full-batch gradient steps
  int symmetry_iterations = 500;  // the symmetry runs and the deep net at ·0.01
};

// The parameters of layers 1…L (index 0 is unused, so that W[l] is the book's W^[l]).
struct Parameters {
  std::vector<arma::mat> W;  // W[l]: n_l × n_(l−1)
  std::vector<arma::mat> b;  // b[l]: n_l × 1
  arma::uword L() const { return W.size() - 1; }
};

// layer_dims = {n_0 = n_x, n_1, …, n_L}. For the random inits: np.random.seed(seed), then W1,
// W2, … drawn in this order from numpy's generator, as the course draws them.
Parameters initialize_parameters_deep(const std::vector<arma::uword>& layer_dims, Init init,
                                      std::uint32_t seed);

// What forward keeps for backward: the course's caches, one per layer, here two lists.
struct Caches {
  std::vector<arma::mat> A;  // A[l]: n_l × m, l = 1…L (A[L] is the prediction; A[0] is X)
  std::vector<arma::mat> Z;  // Z[l]: n_l × m, l = 1…L (index 0 unused in both)
};

// [LINEAR → RELU] × (L−1) → LINEAR → SIGMOID for X (n_x × m), keeping every A and Z.
Caches L_model_forward(const Parameters& parameters, const arma::mat& X);

// J = −(1/m) Σ [y ln a + (1 − y) ln(1 − a)], a = A[L] (computed from Z[L]).
double compute_cost(const Caches& caches, const arma::rowvec& Y);

struct Gradients {
  std::vector<arma::mat> dW, db;  // like W and b; index 0 unused
};

// Walks the caches of X from layer L back to layer 1:
//   dZ[l] = dA[l] ∘ g′(Z[l]),  dW[l] = (1/m) dZ[l] A[l−1]ᵀ,  db[l] = (1/m) Σ_columns dZ[l],
//   dA[l−1] = W[l]ᵀ dZ[l],  starting from dA[L] = −(Y / A[L] − (1 − Y) / (1 − A[L])).
Gradients L_model_backward(const Parameters& parameters, const Caches& caches, const arma::mat& X,
                           const arma::rowvec& Y);

// W[l] ← W[l] − α dW[l], b[l] ← b[l] − α db[l] for every layer.
void update_parameters(Parameters& parameters, const Gradients& grads, double learning_rate);

// What training returns.
struct Trained {
  Parameters parameters;      // after the last update
  std::vector<double> costs;  // costs[i] = J before the update of iteration i
};

// The course's loop: `iterations` times forward → cost → backward → update on (X, Y), from
// `parameters`; progress gets one call every 100 iterations.
Trained L_layer_model(Parameters parameters, const arma::mat& X, const arma::rowvec& Y,
                      double learning_rate, int iterations, nn::Progress& progress);

// Under the hood. The 209 training pictures span only a 209-dimensional subspace of the 12288
// pixel values: X = Q R with Q: 12288 × m (orthonormal columns) and R: m × m (thin QR). Layer 1
// sees X only through W1 X = (W1 Q) R, and its gradient (1/m) dZ1 Xᵀ = ((1/m) dZ1 Rᵀ) Qᵀ never
// leaves that subspace, so training W̃1 = W1 Q on R is the same training, 59 times smaller.
struct PictureSpace {
  arma::mat Q;  // Q: n_x × m
  arma::mat R;  // R: m × m, the pictures in coordinates of Q's columns
};
PictureSpace picture_space(const arma::mat& X);

// L_layer_model(parameters, X, Y, …) for X = Q R, run as L_layer_model on R with W̃1 = W1 Q;
// then W1 = W1_start + (W̃1 − W̃1_start) Qᵀ. The costs are those of the pixels' run to the last
// digits.
Trained L_layer_model_in_picture_space(Parameters parameters, const PictureSpace& space,
                                       const arma::rowvec& Y, double learning_rate, int iterations,
                                       nn::Progress& progress);

// One model trained by gradient descent, and what it scores.
struct Model {
  std::vector<arma::uword> layers;
  Init init = Init::sqrt;
  int iterations = 0;
  Trained trained;                               // the parameters and the costs
  double train_accuracy = 0, test_accuracy = 0;  // percent
  arma::rowvec test_probability;                 // A[L] on the test set: 1 × m_test
};

// initialize_parameters_deep(layers, init, seed), `iterations` steps of L_layer_model on the
// training pictures (in their picture space), and the accuracies on the pictures themselves.
Model train_and_evaluate(const nn::CatSet& data, const PictureSpace& space,
                         const std::vector<arma::uword>& layers, Init init, double learning_rate,
                         int iterations, std::uint32_t seed, nn::Progress& progress);

// Symmetry: how far apart the units of each hidden layer are after training. Units count as
// distinct when their rows differ by more than 1e-12 of |W| (a product split among BLAS threads
// could round equal rows apart in the last bits); max_row_difference says whether they are
// equal to the last bit.
struct Symmetry {
  // per hidden layer l: max_i ‖W[l](i,:) − W[l](0,:)‖∞ / max |W[l]| (0 when W[l] = 0)
  std::vector<double> max_row_difference;
  std::vector<arma::uword> distinct_units;  // per hidden layer: how many different rows of W[l]
};
Symmetry symmetry_of(const Parameters& parameters);

struct Results {
  std::vector<Model> models;             // the lesson's models (or the one of --layers)
  std::vector<Model> symmetry;           // the 5-layer net from W = 0, from W = 1/n, at ·0.01
  std::vector<Symmetry> symmetry_facts;  // for each of `symmetry`
  double label_entropy = 0;              // the cost of always answering the share of cats
  arma::uword parameter_count = 0;       // of the deepest model
  nn::CatSet data;
  double seconds = 0;
};

// The whole lesson: data → the models → the symmetry runs → evaluate.
Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress);

}  // namespace ch08
