// Chapter 06: vanishing gradients. In a deep sigmoid network the error signal
//   δ[l] = σ'(Z[l]) ∘ W[l+1]ᵀ δ[l+1]
// shrinks by a factor σ' ≤ 1/4 at every layer it crosses, so the early layers learn slowest.
// We measure that "speed of learning" ‖∂C/∂b[l]‖ as Nielsen did, watch it during training, and
// measure it again for the remedies: tanh, ReLU with He initialisation, sigmoid with Xavier.
#pragma once
#include <armadillo>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/nn/mlp.hpp"
#include "common/nn/progress.hpp"

namespace ch06 {

struct Options {
  int seeds = 10;              // networks drawn per measurement (seeds --seed, --seed + 1, …)
  int samples = 1000;          // training images the gradient is averaged over
  int steps = 500;             // full-batch gradient steps of the training track
  double learning_rate = 0.1;  // α, for the training track and for the MNIST training
  double lambda = 5.0;  // λ of the track's L2 weight decay, λ/n with n = samples (Nielsen's)
  int epochs = 3;       // epochs of mini-batch SGD on MNIST (remedies' test accuracy)
  int batch = 10;       // mini-batch size of that SGD
  int train_samples = 60000;  // training images for that SGD (fewer for a quick run)
  double xavier_gain = 1.0;   // the sigmoid + Xavier remedy's weights × this (exercise 3)
};

// How the weights of a layer are drawn (biases are N(0, 1) in every variant, as Nielsen's).
enum class Init {
  nielsen,  // N(0, 1/n_in)
  xavier,   // N(0, 2/(n_in + n_out))
  he        // N(0, 2/n_in)
};

// One way of building the network: a hidden activation and a weight initialiser.
struct Variant {
  std::string name;   // its key in results.json
  std::string label;  // its name in the printout and the figures
  nn::Activation hidden;
  Init init;
  double gain = 1.0;  // the drawn weights × gain (1: as the initialiser draws them)
};

// The baseline (Nielsen's sigmoid network) and the three remedies, in that order; the weights
// of the last, sigmoid + Xavier, are multiplied by `xavier_gain`.
std::vector<Variant> variants(double xavier_gain = 1.0);

// A network with sigmoid outputs and cross-entropy cost, drawn as Nielsen's network2.py does
// after np.random.seed(seed): first every bias b[l] ~ N(0, 1), then every weight matrix.
nn::Mlp make_network(const std::vector<arma::uword>& sizes, const Variant& variant,
                     std::uint32_t seed);

// ‖db[l]‖ for the hidden layers l = 1 … L−1 of a network's gradients.
arma::vec hidden_speeds(const nn::MlpGradients& grads);

// The speed of learning of each hidden layer: ‖∂C/∂b[l]‖ for l = 1 … L−1, the bias gradient
// averaged over the columns of X (n_x × m) with one-hot labels Y (n_y × m).
arma::vec layer_speeds(const nn::Mlp& net, const arma::mat& X, const arma::mat& Y);

// layer_speeds for `seeds` networks (seeds seed, seed + 1, …): their mean and standard
// deviation per hidden layer, and the ratio of means first / last.
struct Speeds {
  arma::vec mean, std;
  double first_to_last = 0.0;
};
Speeds measure_at_init(const std::vector<arma::uword>& sizes, const Variant& variant,
                       const arma::mat& X, const arma::mat& Y, std::uint32_t seed, int seeds);

// The speeds and the cost of one network during full-batch training, and the network after it.
struct Track {
  arma::mat speeds;  // (steps + 1) × hidden layers: row k before step k, row `steps` at the end
  arma::vec cost;    // steps + 1: the cost at each row
  nn::Mlp net;       // the network after the last step
};
// Full-batch gradient descent on (X, Y) for `steps` steps, measuring the speeds at every step;
// the weights pay `penalty` (Nielsen's track: L2 with λ = 5, n = the m samples).
Track track_training(nn::Mlp net, const arma::mat& X, const arma::mat& Y, int steps,
                     double learning_rate, const nn::Penalty& penalty);

// ---- the lesson -------------------------------------------------------------------------

// Nielsen's three networks: two, three and four hidden layers of 30 sigmoid units.
const std::vector<std::vector<arma::uword>>& sigmoid_networks();
// The speeds he printed at initialisation (Neural Networks and Deep Learning, chapter 5), one
// list per network of sigmoid_networks().
const std::vector<std::vector<double>>& published_speeds();

// 2. One sigmoid network trained by full-batch gradient descent: its track and how well it
// learned.
struct TrackedNetwork {
  Track track;
  double accuracy;  // percent of the training images classified right at the end
};
// The track of every network of sigmoid_networks() under one penalty.
struct Tracks {
  nn::Penalty penalty;
  std::vector<TrackedNetwork> networks;
};

// 3. One remedy on the deepest network.
struct Remedy {
  Variant variant;
  Speeds speeds;         // at initialisation
  double test_accuracy;  // percent, after the short SGD training
};

struct Results {
  std::vector<Speeds> at_init;   // 1. one per network of sigmoid_networks()
  double prior_cost = 0;         // the cost of guessing each digit's frequency
  Tracks trained;                // 2. with Nielsen's L2 weight decay (λ = options.lambda)
  Tracks trained_plain;          //    and without any penalty, the contrast
  std::vector<Remedy> remedies;  // 3. one per variant of variants()
  double seconds = 0;
};

// data → 1. speeds at initialisation → 2. speeds during training → 3. the remedies.
Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress);

}  // namespace ch06
