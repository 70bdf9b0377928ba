// Chapter 10: overfitting, and three cures. Nielsen's experiment (Neural Networks and Deep
// Learning, chapter 3): a 784-30-10 sigmoid network with cross-entropy cost learns the first
// 1000 MNIST training images by heart, while its accuracy on images it never saw stalls. A
// penalty on the weights (L2 or L1, common/penalty) or stopping when a held-out validation set
// stops improving keeps it from fitting the noise of so few examples.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "common/mlp.hpp"
#include "common/mnist.hpp"
#include "common/options.hpp"
#include "common/parallel.hpp"
#include "common/penalty.hpp"
#include "common/progress.hpp"

namespace ch10 {

struct Options {
  int train_images = 1000;          // the first n images of the training file are learned from
  int validation_images = 10000;    // held out from the end of the training file
  int hidden = 30;                  // units of the one hidden layer
  int epochs = 200;                 // passes over the training images
  int batch = 10;                   // mini-batch size
  double learning_rate = 0.5;       // η
  std::string penalty = "compare";  // compare (the four variants) or one of none, l2, l1
  double lambda = 0.1;              // λ of L2 and L1; the step uses λ/n, n = train_images
  int patience = 10;                // epochs without a better validation accuracy before stopping
  bool stop_early = false;          // with a single --penalty: stop early as the fourth variant
  bool full = false;                // also Nielsen's run on 50 000 images: none against L2 λ = 5
  int full_epochs = 30;             // epochs of that run
  double full_lambda = 5.0;         // its λ
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
nn::Mlp make_network(int hidden, std::uint32_t seed);

// What the network does on each set after an epoch. The training cost is the cost SGD
// minimises: cross-entropy plus the penalty. The validation accuracy is measured only by a run
// that stops early (it is what the rule looks at).
struct Epoch {
  double train_cost = 0, train_accuracy = 0, test_accuracy = 0, validation_accuracy = 0;
};
// The training cost and accuracy, and the test accuracy (not the validation one).
Epoch evaluate(const nn::Mlp& net, const nn::Penalty& penalty, const Data& data,
               nn::TwoCores& cores);

// Percent of the images of `set` whose largest output is the true label; each core classifies
// half of them (the same answers as one core: a column's output depends on that column only).
double accuracy(const nn::Mlp& net, const Split& set, nn::TwoCores& cores);

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

// One variant trained: every epoch's numbers, the epoch the rule chose, and the networks.
struct Run {
  Variant variant;
  std::vector<Epoch> epochs;  // one per epoch trained (fewer than asked when stopped early)
  BestSoFar best;             // early stopping: the epoch of the best validation accuracy
  nn::Mlp last;               // the network after the last epoch trained
  // The network the variant delivers: the best-validation one when it stops early, else the last.
  const nn::Mlp& delivered() const { return variant.patience > 0 ? best.net : last; }
};

// Mini-batch SGD (common/sgd) with the variant's penalty, λ/n with n = the training images;
// every epoch evaluated; with a patience, also on the validation set, and stopped early.
Run train(const Variant& variant, const Data& data, int hidden, int epochs, int batch,
          double learning_rate, std::uint32_t seed, nn::TwoCores& cores, nn::Progress& progress);

// Share of the weights (every W[l]) whose size is below `threshold`.
double share_below(const nn::Mlp& net, double threshold);
// The threshold the lesson counts a weight as near zero below.
inline constexpr double kNearZero = 1e-3;

// ---- the lesson -------------------------------------------------------------------------

struct Results {
  std::vector<Run> runs;       // one per variant of variants(options)
  std::vector<Run> full_runs;  // with --full: none and L2 on 50 000 images
  double seconds = 0;
};

// data → the network → train each variant → (the full-data run).
Results run(const Options& options, const nn::CommonOptions& common, nn::Progress& progress);

}  // namespace ch10
