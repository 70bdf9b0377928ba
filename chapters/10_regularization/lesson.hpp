// Chapter 10: overfitting, and three cures. Nielsen's experiment (Neural Networks and Deep
// Learning, chapter 3): a 784-30-10 sigmoid network with cross-entropy cost learns the first
// 1000 MNIST training images by heart, while its accuracy on images it never saw stalls. A
// penalty on the weights (L2 or L1, common/penalty) or stopping when a held-out validation set
// stops improving keeps it from fitting the noise of so few examples.
#pragma once
#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/nn/jobs.hpp"
#include "common/nn/mlp.hpp"
#include "common/nn/penalty.hpp"
#include "common/nn/progress.hpp"
#include "common/nn/sgd.hpp"
#include "common/plumbing/mnist.hpp"

namespace ch10 {

// How the weights start (--init); the biases are N(0, 1) either way.
enum class Init {
  large,  // W ~ N(0, 1), as Nielsen here (network2.py's large_weight_initializer)
  scaled  // W ~ N(0, 1/n_in), his default_weight_initializer (chapter 6's)
};

struct Options {
  int train_images = 1000;        // the first n images of the training file are learned from
  int validation_images = 10000;  // held out from the end of the training file
  int hidden = 30;                // units of the one hidden layer
  Init init = Init::large;
  int epochs = 200;            // passes over the training images
  int batch = 10;              // mini-batch size
  double learning_rate = 0.5;  // η
  // one network with this penalty; none given (--penalty compare): the four variants
  std::optional<nn::Penalty::Kind> penalty;
  double lambda = 0.1;       // λ of L2 and L1; the step uses λ/n, n = train_images
  int patience = 10;         // epochs without a better validation accuracy before stopping
  bool stop_early = false;   // with a single --penalty: stop early as the fourth variant
  bool full = false;         // also Nielsen's run on 50 000 images: none against L2 λ = 5
  int full_epochs = 30;      // epochs of that run
  double full_lambda = 5.0;  // its λ
};

// One way of training: a penalty, and whether to stop early.
struct Variant {
  std::string key;  // its key in results.json: none, l2, l1, early_stopping
  nn::Penalty::Kind penalty = nn::Penalty::Kind::none;
  double lambda = 0.0;
  int patience = 0;  // 0: train every epoch; else stop after this many without improvement
};

// The variants a run trains: the comparison (none, L2, L1, early stopping) or the one asked for.
std::vector<Variant> variants(const Options& options);

// The data: `train` images to learn from, `validation` images (held out from the end of the
// training file) to choose by, and the 10 000 test images to report on. X: 784 × m in [0, 1].
struct Split {
  arma::mat X, Y;     // Y: 10 × m one-hot
  arma::uvec labels;  // m
};
struct Data {
  Split train, validation, test;
};
// The first `train` and the last `validation` images of the training file, and the test file.
Data load_data(const nn::Mnist& mnist, int train, int validation);

// 784-n_h-10, sigmoid everywhere, cross-entropy cost; every weight and bias from N(0, 1), as
// Nielsen's large_weight_initializer after np.random.seed(seed): first the biases, then W.
// Init::scaled: W[l] times 1/√n_(l−1), his default_weight_initializer.
nn::Mlp make_network(int hidden, Init init, std::uint32_t seed);

// What the network does after an epoch: the cost SGD minimises (cross-entropy plus the penalty)
// and the accuracy on the training images, and the accuracy on the validation images. The test
// images are not looked at during training.
struct Epoch {
  double train_cost = 0, train_accuracy = 0, validation_accuracy = 0;
};

// The training cost (with its penalty) and accuracy, and the validation accuracy, of `net`.
Epoch evaluate(const nn::Mlp& net, const nn::Penalty& penalty, const Data& data);

// The early-stopping rule: remember the epoch of the best validation accuracy (the first, on a
// tie) and its parameters; stop when `patience` epochs have passed without beating it.
struct BestSoFar {
  int epoch = 0;  // 0 before the first epoch
  double validation_accuracy = -1;
  nn::Mlp net;
  int epochs_since = 0;
};
// The rule after one more epoch (1-based) in which `net` scored `validation_accuracy`.
BestSoFar update_best(BestSoFar best, int epoch, double validation_accuracy, const nn::Mlp& net);

// One variant trained: every epoch's numbers, the best-validation epoch and the networks.
struct Run {
  Variant variant;
  std::vector<Epoch> epochs;  // one per epoch trained (fewer than asked when stopped early)
  BestSoFar best;             // the epoch of the best validation accuracy and its network
  nn::Mlp last;               // the network after the last epoch trained
  double test_accuracy_last;  // percent of the test images: the last network
  double test_accuracy_best;  //   and the best-validation one
  // The network the variant delivers: the best-validation one when it stops early, else the last.
  const nn::Mlp& delivered() const { return variant.patience > 0 ? best.net : last; }
  double delivered_test_accuracy() const {
    return variant.patience > 0 ? test_accuracy_best : test_accuracy_last;
  }
};

// Mini-batch SGD (common/sgd: `sgd` with the variant's penalty, λ/n with n = the training
// images) from `start`; every epoch evaluated, stopped early when the variant has a patience;
// then the test images.
Run train(const Variant& variant, const Data& data, const nn::Mlp& start, nn::SgdSettings sgd,
          nn::Progress& progress);

// train() for each variant from the same start, each a job of `jobs` (the program runs two at
// a time, one per core, BLAS on one thread: the same numbers on any machine).
std::vector<Run> train_all(const std::vector<Variant>& variants, const Data& data,
                           const nn::Mlp& start, const nn::SgdSettings& sgd, nn::Progress& progress,
                           const nn::Jobs& jobs);

// The pixels that are 0 in every column of X. Their weights never receive a gradient
// (∂C₀/∂w = δ x = 0): without a penalty they keep their random start for ever.
int blank_pixels(const arma::mat& X);

// Share of the weights (every W[l]) whose size is below `threshold`.
double share_below(const nn::Mlp& net, double threshold);
// The threshold the lesson counts a weight as near zero below.
inline constexpr double kNearZero = 1e-3;

// ---- the lesson -------------------------------------------------------------------------

struct Results {
  int blank_pixels = 0;        // of the training images
  std::vector<Run> runs;       // one per variant of variants(options)
  std::vector<Run> full_runs;  // with --full: none and L2 on the full_images
  int full_images = 0;         //   that are not validation ones (50 000)
  double seconds = 0;
};

// data → the network → train each variant → (the full-data run); `jobs` runs the variants.
Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress, const nn::Jobs& jobs);

}  // namespace ch10
