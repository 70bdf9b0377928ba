// Chapter 06: vanishing gradients. In a deep sigmoid network the error signal
//   δ[l] = σ'(Z[l]) ∘ W[l+1]ᵀ δ[l+1]
// shrinks by a factor σ' ≤ 1/4 at every layer it crosses, so the early layers learn slowest.
// We measure that "speed of learning" ‖∂C/∂b[l]‖ as Nielsen did, watch it during training, and
// measure it again for the remedies: tanh, ReLU with He initialisation, sigmoid with Xavier.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/mlp.hpp"
#include "common/results.hpp"

namespace ch06 {

struct Options {
  int seeds = 10;              // networks drawn per measurement (seeds --seed, --seed + 1, …)
  int samples = 1000;          // training images the gradient is averaged over
  int steps = 500;             // full-batch gradient steps of the training track
  double learning_rate = 0.1;  // α, for the training track and for the MNIST training
  int epochs = 3;              // epochs of mini-batch SGD on MNIST (remedies' test accuracy)
  int batch = 10;              // mini-batch size of that SGD
  int train_samples = 60000;   // training images for that SGD (fewer for a quick run)
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
};

// The baseline (Nielsen's sigmoid network) and the three remedies, in that order.
std::vector<Variant> variants();

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

// Full-batch gradient descent on (X, Y) for `steps` steps: row k holds the speeds before step
// k (row `steps` after the last), column l−1 hidden layer l; `cost` gets the cost per row.
arma::mat track_training(nn::Mlp& net, const arma::mat& X, const arma::mat& Y, int steps,
                         double learning_rate, arma::vec& cost);

// Trains `net` by mini-batch SGD: `epochs` passes over (X, Y) in an order shuffled by `seed`,
// one step of size α per batch (the mean gradient over the batch, as network2.py).
void train_sgd(nn::Mlp& net, const arma::mat& X, const arma::mat& Y, int epochs, int batch,
               double learning_rate, std::uint32_t seed);

// The cost of the best guess that ignores the pixels: every output k set to the frequency p_k of
// digit k among the one-hot labels Y (10 × m). A network stuck at this cost has learned nothing
// from the images.
double prior_cost(const arma::mat& Y);

// Percent of the columns of X whose largest output is the true label.
double test_accuracy(const nn::Mlp& net, const arma::mat& X, const arma::uvec& labels);

// The whole lesson: measurements, training, figures and results.json. Returns the results.
nn::Json run(const Options& options, const nn::CommonOptions& common);

}  // namespace ch06
