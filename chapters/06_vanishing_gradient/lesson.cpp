// The lesson of chapter 06: how fast each hidden layer of a deep sigmoid network learns, at
// initialisation and during training, and the remedies. run() tells it in the book's order.
#include "lesson.hpp"

#include <cmath>
#include <string>

#include "common/nn/errors.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/one_hot.hpp"
#include "common/nn/sgd.hpp"
#include "common/nn/stopwatch.hpp"
#include "common/plumbing/mnist.hpp"

namespace ch06 {

using Sizes = std::vector<arma::uword>;

const std::vector<Sizes>& sigmoid_networks() {
  static const std::vector<Sizes> networks = {
      {784, 30, 30, 10}, {784, 30, 30, 30, 10}, {784, 30, 30, 30, 30, 10}};
  return networks;
}

const std::vector<std::vector<double>>& published_speeds() {
  static const std::vector<std::vector<double>> published = {
      {0.07, 0.31}, {0.012, 0.060, 0.283}, {0.003, 0.017, 0.070, 0.285}};
  return published;
}

std::vector<Variant> variants(double xavier_gain) {
  return {
      {"sigmoid", "sigmoid (Nielsen)", nn::Activation::sigmoid, Init::nielsen},
      {"tanh", "tanh + Xavier", nn::Activation::tanh, Init::xavier},
      {"relu_he", "ReLU + He", nn::Activation::relu, Init::he},
      {"sigmoid_xavier", "sigmoid + Xavier", nn::Activation::sigmoid, Init::xavier, xavier_gain}};
}

// [book:init]
nn::Mlp make_network(const Sizes& sizes, const Variant& variant, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  nn::Mlp net(sizes, variant.hidden, nn::Output::sigmoid);
  // b[l] ~ N(0, 1) for every layer first, then W[l], as network2.py draws them
  for (arma::uword l = 1; l <= net.layers(); ++l) net.b[l] = rng.randn(sizes[l], 1);
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    const arma::uword n_in = sizes[l - 1], n_out = sizes[l];
    switch (variant.init) {
      case Init::nielsen:  // W[l] ~ N(0, 1/n_in): z stays of order 1 whatever n_in is
        net.W[l] = nn::nielsen(rng, n_out, n_in);
        break;
      case Init::xavier:
        net.W[l] = nn::xavier(rng, n_out, n_in);
        break;
      case Init::he:
        net.W[l] = nn::he(rng, n_out, n_in);
        break;
    }
    net.W[l] *= variant.gain;  // 1 for the lesson's variants; exercise 3 tries 4 and 8
  }
  return net;
}
// [/book:init]

// [book:speeds]
arma::vec hidden_speeds(const nn::MlpGradients& grads) {
  const arma::uword L = grads.db.size() - 1;
  arma::vec speeds(L - 1);  // hidden layers 1 … L−1; the output layer is not asked
  // ‖∂C/∂b[l]‖: the length of δ[l] averaged over the samples
  for (arma::uword l = 1; l < L; ++l) speeds(l - 1) = arma::norm(grads.db[l]);
  return speeds;
}

arma::vec layer_speeds(const nn::Mlp& net, const arma::mat& X, const arma::mat& Y) {
  const nn::MlpCache cache = nn::forward(net, X);
  // db[l] = (1/m) Σ_samples δ[l]: the gradient of the mean cost C with respect to b[l]
  return hidden_speeds(nn::backward(net, cache, X, Y));
}
// [/book:speeds]

Speeds measure_at_init(const Sizes& sizes, const Variant& variant, const arma::mat& X,
                       const arma::mat& Y, std::uint32_t seed, int seeds) {
  arma::mat all(sizes.size() - 2, seeds);  // one column of speeds per drawn network
  for (int k = 0; k < seeds; ++k)
    all.col(k) = layer_speeds(make_network(sizes, variant, seed + k), X, Y);
  Speeds speeds;
  speeds.mean = arma::mean(all, 1);
  // the spread between networks (zero when only one is drawn)
  speeds.std = seeds > 1 ? arma::vec(arma::stddev(all, 0, 1)) : arma::vec(all.n_rows).zeros();
  speeds.first_to_last = speeds.mean.front() / speeds.mean.back();
  return speeds;
}

// [book:track]
Track track_training(nn::Mlp net, const arma::mat& X, const arma::mat& Y, int steps,
                     double learning_rate, const nn::Penalty& penalty) {
  Track track{arma::mat(steps + 1, net.layers() - 1), arma::vec(steps + 1), net};
  for (int k = 0; k <= steps; ++k) {
    const nn::MlpCache cache = nn::forward(track.net, X);
    track.cost(k) = nn::cost(track.net, cache, Y);
    nn::check_cost(track.cost(k), k, nn::saturated_cost(track.net));
    const nn::MlpGradients grads = nn::backward(track.net, cache, X, Y);
    track.speeds.row(k) = hidden_speeds(grads).t();
    // W[l] ← (1 − αλ/m) W[l] − α ∂C/∂W[l], b[l] −= α ∂C/∂b[l], C averaged over all m samples
    if (k < steps) nn::update(track.net, grads, learning_rate, penalty);
  }
  return track;
}
// [/book:track]

namespace {

// The data of the lesson: the first `samples` training images for the measurements, and the
// first `train_samples` training images with the test set for the short SGD training.
struct Data {
  arma::mat X, Y;              // X: 784 × samples, Y: 10 × samples
  arma::mat X_train, Y_train;  // 784 × train_samples, 10 × train_samples
  arma::mat X_test;            // 784 × 10000
  arma::uvec test_labels;
};

Data load_data(const Options& options, const std::filesystem::path& data_dir) {
  const nn::Mnist mnist = nn::load_mnist(data_dir / "mnist", 28, 28);
  const auto n = static_cast<int>(mnist.train.pixels.n_cols);
  if (options.samples > n)
    throw nn::UsageError("--samples: " + std::to_string(options.samples) + " is larger than the " +
                         std::to_string(n) + " training images");
  if (options.train_samples > n)
    throw nn::UsageError("--train-samples: " + std::to_string(options.train_samples) +
                         " is larger than the " + std::to_string(n) + " training images");
  Data data;
  const arma::mat X_all = nn::scale_pixels<double>(mnist.train.pixels);
  const arma::mat Y_all = nn::one_hot<double>(mnist.train_labels, 10);
  data.X = X_all.head_cols(options.samples);
  data.Y = Y_all.head_cols(options.samples);
  data.X_train = X_all.head_cols(options.train_samples);
  data.Y_train = Y_all.head_cols(options.train_samples);
  data.X_test = nn::scale_pixels<double>(mnist.test.pixels);
  data.test_labels = mnist.test_labels;
  return data;
}

// 1. Nielsen's measurement: the speed of each hidden layer of the three sigmoid networks.
std::vector<Speeds> measure_sigmoid_networks(const Options& options, const Data& data,
                                             std::uint32_t seed) {
  std::vector<Speeds> speeds;
  for (const Sizes& sizes : sigmoid_networks())
    speeds.push_back(
        measure_at_init(sizes, variants().front(), data.X, data.Y, seed, options.seeds));
  return speeds;
}

// 2. The same speeds while each network learns by full-batch gradient descent, its weights
// decaying as in Nielsen's script (or not at all, with lambda 0).
Tracks track_sigmoid_networks(const Options& options, const Data& data, std::uint32_t seed,
                              double lambda) {
  const nn::Penalty penalty{lambda > 0 ? nn::Penalty::Kind::l2 : nn::Penalty::Kind::none, lambda,
                            static_cast<double>(data.X.n_cols)};
  Tracks tracks{penalty, {}};
  for (const Sizes& sizes : sigmoid_networks()) {
    Track track = track_training(make_network(sizes, variants().front(), seed), data.X, data.Y,
                                 options.steps, options.learning_rate, penalty);
    const double accuracy = nn::accuracy(track.net, data.X, nn::predict_classes(data.Y));
    tracks.networks.push_back({std::move(track), accuracy});
  }
  return tracks;
}

// 3. The remedies on the deepest network: the speeds at initialisation, measured as in 1,
// and the test accuracy after a short mini-batch SGD training on MNIST.
std::vector<Remedy> try_remedies(const Options& options, const Data& data, std::uint32_t seed,
                                 nn::Progress& progress) {
  const Sizes& deepest = sigmoid_networks().back();
  std::vector<Remedy> remedies;
  for (const Variant& variant : variants(options.xavier_gain)) {
    const Speeds speeds = measure_at_init(deepest, variant, data.X, data.Y, seed, options.seeds);
    // mini-batch SGD as network2.py (common/sgd), one progress line per epoch
    const nn::SgdSettings sgd{options.epochs, options.batch, options.learning_rate, {}, seed};
    const nn::Mlp net =
        nn::train_sgd(make_network(deepest, variant, seed), data.X_train, data.Y_train, sgd,
                      [&](int epoch, const nn::Mlp&, double cost) {
                        progress.step("epoch", epoch, options.epochs, {{"last batch cost", cost}});
                        return nn::AfterEpoch::go_on;
                      });
    remedies.push_back({variant, speeds, nn::accuracy(net, data.X_test, data.test_labels)});
  }
  return remedies;
}

}  // namespace

// [book:run]
Results run(const Options& options, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress) {
  const nn::Stopwatch clock;
  const Data data = load_data(options, data_dir);
  Results r;
  r.at_init = measure_sigmoid_networks(options, data, seed);
  r.prior_cost = nn::prior_cost(data.Y);
  r.trained = track_sigmoid_networks(options, data, seed, options.lambda);
  r.trained_plain = track_sigmoid_networks(options, data, seed, 0.0);
  r.remedies = try_remedies(options, data, seed, progress);
  r.seconds = clock.seconds();
  return r;
}
// [/book:run]

}  // namespace ch06
