// Chapter 05: a three-layer network reads handwritten digits.
//   784 pixels → 64 sigmoid units → 16 tanh units → 10 softmax outputs, cross-entropy cost,
//   mini-batch gradient descent on the 55000 MNIST training images.
// The network is spelled out by hand (Z1, A1, …, dW1) so that the code reads like the formulas;
// the same functions train in float and check their gradients in double.
#pragma once
#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/nn/blocks.hpp"
#include "common/nn/gradient_check.hpp"
#include "common/nn/jobs.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/progress.hpp"

namespace ch05 {

// The lesson's layer sizes: n_x inputs (28 × 28 pixels), two hidden layers, n_3 classes.
inline constexpr arma::uword n_x = 784, n_1 = 64, n_2 = 16, n_3 = 10;
// The last 5000 training images are held out for validation (as the reference course does).
inline constexpr arma::uword n_validation = 5000;

struct Options {
  int epochs = 40;             // at most this many passes over the training set
  double learning_rate = 0.5;  // α
  int batch_size = 128;        // samples per gradient step
  double target_loss = 0.01;   // stop early once the validation loss is at most this
  bool study = false;          // also run the learning-rate × batch-size grid
  int seeds = 1;               // > 1: train again with the next seeds, report mean and spread
  std::filesystem::path load;  // evaluate this saved model instead of training one
};

// W_l: n_l × n_(l−1), b_l: n_l × 1. Training uses float, the gradient check double.
template <typename eT>
struct Parameters {
  arma::Mat<eT> W1, b1;  // W1: n_1 × n_x
  arma::Mat<eT> W2, b2;  // W2: n_2 × n_1
  arma::Mat<eT> W3, b3;  // W3: n_3 × n_2
};

// What forward keeps for backward, for a batch of m samples.
template <typename eT>
struct Cache {
  arma::Mat<eT> Z1, A1;  // n_1 × m
  arma::Mat<eT> Z2, A2;  // n_2 × m
  arma::Mat<eT> Z3, A3;  // n_3 × m
};

// ∂J/∂(everything), named as in the formulas; dW_l and db_l have the shapes of W_l and b_l.
template <typename eT>
struct Gradients {
  arma::Mat<eT> dZ3, dW3, db3;       // dZ3: n_3 × m
  arma::Mat<eT> dA2, dZ2, dW2, db2;  // dA2, dZ2: n_2 × m
  arma::Mat<eT> dA1, dZ1, dW1, db1;  // dA1, dZ1: n_1 × m
};

// The network's parameter blocks (common/nn/blocks.hpp) W1, b1, W2, b2, W3, b3, each with its
// gradient in g: the one list of its matrices, which update, the gradient check and the saved
// model walk. Without g, the parameters alone (every dP nullptr).
template <typename eT>
nn::BlocksOf<eT> blocks(Parameters<eT>& p, Gradients<eT>& g);
template <typename eT>
nn::BlocksOf<eT> blocks(Parameters<eT>& p);

// Xavier weights and zero biases for a sizes[0] → sizes[1] → sizes[2] → sizes[3] network,
// drawn in numpy's order (W1, W2, W3).
Parameters<double> initialize(nn::NumpyRandom& rng, const std::vector<arma::uword>& sizes);
// The same parameters in another precision.
template <typename eT>
Parameters<eT> convert(const Parameters<double>& p);

// A3 = softmax(W3 tanh(W2 σ(W1 X + b1) + b2) + b3) for X: n_x × m, with Z1 … A3 kept.
template <typename eT>
Cache<eT> forward(const Parameters<eT>& p, const arma::Mat<eT>& X);
// The cross-entropy J of a forward pass against the one-hot labels Y: n_3 × m.
template <typename eT>
double cost(const Cache<eT>& c, const arma::Mat<eT>& Y);
// Every gradient of J, walking the forward pass in reverse.
template <typename eT>
Gradients<eT> backward(const Parameters<eT>& p, const Cache<eT>& c, const arma::Mat<eT>& X,
                       const arma::Mat<eT>& Y);
// P −= α dP for every parameter block (α rounded to eT).
template <typename eT>
void update(Parameters<eT>& p, Gradients<eT>& g, double learning_rate);

// Backprop against central differences for all six parameter blocks, in double, on a batch of
// `m` random samples through a network of the lesson's layers with the given sizes.
nn::GradientReport gradient_check(std::uint32_t seed, const std::vector<arma::uword>& sizes,
                                  arma::uword m);

// MNIST as the network reads it: pixels in [0,1] (n_x × m), one-hot labels (n_3 × m).
struct Split {
  arma::fmat X, Y;
  arma::uvec labels;
};
struct Data {
  Split train, validation, test;
};
// Reads <data_dir>/mnist and holds out the last n_validation training images.
Data load_data(const std::filesystem::path& data_dir);

// Loss and accuracy (percent) of the model on a whole split.
struct Evaluation {
  double loss = 0.0, accuracy = 0.0;
  arma::uvec predicted;  // the digit read for each sample
};
Evaluation evaluate(const Parameters<float>& p, const Split& s);

// One core's workspace during training: the samples of its half of every mini-batch, gathered
// side by side, and what forward and backward computed from them at the last step.
struct Workspace {
  arma::fmat X, Y;    // X: n_x × m, Y: n_3 × m
  arma::uvec labels;  // m
  Cache<float> cache;
  Gradients<float> grads;
  double J = 0.0;           // the cost over these samples
  arma::uword correct = 0;  // samples read right during the epoch, before their own step
};
// The gradient of J on the samples `batch` (indices into s): gather → forward → cost →
// backward, into w (J in w.J, the gradients in w.grads).
void gradient(const Parameters<float>& p, const Split& s, const arma::uvec& batch, Workspace& w);

// One line per epoch: the mean mini-batch loss and accuracy during the epoch, the validation
// loss and accuracy after it, and its wall time.
struct History {
  std::vector<double> train_loss, train_accuracy, validation_loss, validation_accuracy, seconds;
};
// Mini-batch gradient descent: each epoch visits the training set in a fresh order drawn from
// `rng`. Stops after `epochs` or once the validation loss reaches `target_loss`. Every step's
// gradient is two jobs of `cores`, one per half of the batch (two cores at once in the program,
// common/plumbing/parallel.hpp's TwoCoreTeam); the numbers do not depend on where they ran.
struct Trained {
  Parameters<float> model;
  History history;
};
Trained train(Parameters<float> p, const Data& d, int epochs, float learning_rate,
              arma::uword batch_size, double target_loss, nn::NumpyRandom& rng,
              nn::Progress& progress, const nn::Jobs& cores);

// The trained parameters as one file (common/model_file: written whole or not at all), and back.
// load_model throws nn::DataError, naming the file, unless it holds six finite float matrices of
// the lesson's shapes.
void save_model(Parameters<float> p, const std::filesystem::path& file);
Parameters<float> load_model(const std::filesystem::path& file);

// Validation accuracy after `epochs` epochs for every learning rate × batch size.
struct StudyPoint {
  double learning_rate;
  arma::uword batch_size;
  double validation_accuracy;
};
std::vector<StudyPoint> study(const Data& d, std::uint32_t seed, int epochs,
                              const std::vector<double>& learning_rates,
                              const std::vector<arma::uword>& batch_sizes, nn::Progress& progress,
                              const nn::Jobs& cores);
// The study's grid: learning rates from timid to bold, small to the lesson's batch size.
inline const std::vector<double> kStudyRates = {0.05, 0.1, 0.2, 0.5, 0.8};
inline const std::vector<arma::uword> kStudyBatches = {16, 32, 128};
inline constexpr int kStudyEpochs = 3;

// What the lesson found, for the report.
struct Results {
  Data data;
  nn::GradientReport check;             // the gradient check (empty for a loaded model)
  History history;                      // training, epoch by epoch (empty for a loaded model)
  Parameters<float> model;              // the trained (or loaded) parameters
  Evaluation validation, test;          // the final model on the held-out images
  arma::umat confusion;                 // the test images by true and predicted digit
  std::vector<double> seed_accuracies;  // --seeds N: test accuracy of each seed, this run first
  std::vector<StudyPoint> study;        // --study: the learning-rate × batch-size grid
  double seconds = 0.0;
};

// The whole lesson: data (<data_dir>/mnist), gradient check, training from `seed`, evaluation;
// with --load, only evaluation. Each step's two halves are jobs of `cores`.
Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress, const nn::Jobs& cores);

}  // namespace ch05
