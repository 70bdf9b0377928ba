// The lesson of chapter 10: a small network overfits 1000 MNIST images; L2, L1 and early
// stopping against it. run() tells it in the book's order.
#include "lesson.hpp"

#include <cmath>
#include <optional>
#include <string>

#include "common/nn/errors.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/one_hot.hpp"
#include "common/nn/sgd.hpp"
#include "common/nn/stopwatch.hpp"
#include "common/plumbing/mnist.hpp"

namespace ch10 {

std::vector<Variant> variants(const Options& o) {
  using Kind = nn::Penalty::Kind;
  if (o.penalty) {
    const Kind kind = *o.penalty;
    const double lambda = kind == Kind::none ? 0.0 : o.lambda;
    const int patience = o.stop_early ? o.patience : 0;
    return {{nn::penalty_name(kind), kind, lambda, patience}};
  }
  return {{"none", Kind::none, 0.0, 0},
          {"l2", Kind::l2, o.lambda, 0},
          {"l1", Kind::l1, o.lambda, 0},
          {"early_stopping", Kind::none, 0.0, o.patience}};
}

namespace {

// Columns first … first + count − 1 of the MNIST file, scaled to [0, 1], with their labels.
Split columns(const nn::IdxImages& images, const arma::uvec& labels, arma::uword first,
              arma::uword count) {
  const arma::Mat<unsigned char> pixels = images.pixels.cols(first, first + count - 1);
  Split split{nn::scale_pixels<double>(pixels), {}, labels.subvec(first, first + count - 1)};
  split.Y = nn::one_hot<double>(split.labels, 10);
  return split;
}

}  // namespace

Data load_data(const nn::Mnist& mnist, int train, int validation) {
  const arma::uword n = mnist.train.pixels.n_cols;
  if (static_cast<arma::uword>(train) + static_cast<arma::uword>(validation) > n)
    throw nn::UsageError(
        "--train-images + --validation-images: " + std::to_string(train + validation) +
        " is more than the " + std::to_string(n) + " images of the training file");
  // the validation images come from the end of the file: never the same as the training ones
  return {columns(mnist.train, mnist.train_labels, 0, train),
          columns(mnist.train, mnist.train_labels, n - validation, validation),
          columns(mnist.test, mnist.test_labels, 0, mnist.test.pixels.n_cols)};
}

// [book:init]
nn::Mlp make_network(int hidden, Init init, std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  nn::Mlp net({784, static_cast<arma::uword>(hidden), 10}, nn::Activation::sigmoid,
              nn::Output::sigmoid);
  // b[l] ~ N(0, 1), then W[l] ~ N(0, 1): no 1/√n_in, so z = Σ w x + b of a hidden unit has a
  // standard deviation of about 9 on an MNIST image, and most hidden units start saturated
  for (arma::uword l = 1; l <= net.layers(); ++l) net.b[l] = rng.randn(net.sizes[l], 1);
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    const arma::uword n_in = net.sizes[l - 1], n_out = net.sizes[l];
    // (--init scaled: N(0, 1/n_in), network2.py's default_weight_initializer, chapter 6's)
    net.W[l] = init == Init::scaled ? nn::nielsen(rng, n_out, n_in) : rng.randn(n_out, n_in);
  }
  return net;
}
// [/book:init]

Epoch evaluate(const nn::Mlp& net, const nn::Penalty& penalty, const Data& data) {
  const nn::MlpCache cache = nn::forward(net, data.train.X);
  const arma::mat& A = cache.A.back();
  Epoch e;
  // C = C₀ + the penalty: what SGD lowers, step by step
  e.train_cost = nn::cost(net, cache, data.train.Y) + nn::penalty_cost(penalty, net.W);
  e.train_accuracy = nn::accuracy(nn::predict_classes(A), data.train.labels);
  e.validation_accuracy = nn::accuracy(net, data.validation.X, data.validation.labels);
  return e;
}

// [book:best]
BestSoFar update_best(BestSoFar best, int epoch, double validation_accuracy, const nn::Mlp& net) {
  if (validation_accuracy > best.validation_accuracy)
    return {epoch, validation_accuracy, net, 0};  // a new best: keep these parameters
  ++best.epochs_since;
  return best;
}
// [/book:best]

// [book:train]
Run train(const Variant& variant, const Data& data, const nn::Mlp& start, nn::SgdSettings sgd,
          nn::Progress& progress) {
  Run run{variant, {}, {0, -1.0, start, 0}, start, 0, 0};
  // the penalty as Nielsen scales it: λ/n, with n the number of training images
  const nn::Penalty penalty{variant.penalty, variant.lambda, double(data.train.X.n_cols)};
  sgd.penalty = penalty;
  run.last = nn::train_sgd(
      start, data.train.X, data.train.Y, sgd, [&](int epoch, const nn::Mlp& net, double) {
        const Epoch e = evaluate(net, penalty, data);
        run.epochs.push_back(e);
        run.best = update_best(std::move(run.best), epoch, e.validation_accuracy, net);
        progress.step("epoch", epoch, sgd.epochs,
                      {{"train cost", e.train_cost},
                       {"train accuracy", e.train_accuracy},
                       {"validation accuracy", e.validation_accuracy}});
        // early stopping: `patience` epochs have not beaten the best validation accuracy
        const bool stop = variant.patience > 0 && run.best.epochs_since >= variant.patience;
        return stop ? nn::AfterEpoch::stop : nn::AfterEpoch::go_on;
      });
  // the test images, once, at the end: the last network and the best-validation one
  run.test_accuracy_last = nn::accuracy(run.last, data.test.X, data.test.labels);
  run.test_accuracy_best = nn::accuracy(run.best.net, data.test.X, data.test.labels);
  return run;
}
// [/book:train]

std::vector<Run> train_all(const std::vector<Variant>& variants, const Data& data,
                           const nn::Mlp& start, const nn::SgdSettings& sgd, nn::Progress& progress,
                           const nn::Jobs& jobs) {
  std::vector<std::optional<Run>> trained(variants.size());
  nn::NoProgress quiet;
  // the variants do not depend on each other: jobs, two at a time in the program (the even
  // ones, on the first core, show their progress)
  jobs.run(variants.size(), [&](arma::uword k) {
    trained[k] = train(variants[k], data, start, sgd, k % 2 == 0 ? progress : quiet);
  });
  std::vector<Run> runs;
  for (std::optional<Run>& run : trained) runs.push_back(std::move(*run));
  return runs;
}

int blank_pixels(const arma::mat& X) {
  return static_cast<int>(arma::accu(arma::sum(X, 1) == 0.0));
}

double share_below(const nn::Mlp& net, double threshold) {
  double below = 0, all = 0;
  for (arma::uword l = 1; l <= net.layers(); ++l) {
    below += static_cast<double>(arma::accu(arma::abs(net.W[l]) < threshold));
    all += static_cast<double>(net.W[l].n_elem);
  }
  return 100.0 * below / all;
}

// [book:run]
Results run(const Options& o, std::uint32_t seed, const std::filesystem::path& data_dir,
            nn::Progress& progress, const nn::Jobs& jobs) {
  const nn::Stopwatch clock;
  // 1. data: 1000 images to learn from, 10 000 held out to choose by, the test set to report on
  const nn::Mnist mnist = nn::load_mnist(data_dir / "mnist", 28, 28);
  const Data data = load_data(mnist, o.train_images, o.validation_images);
  Results r;
  r.blank_pixels = blank_pixels(data.train.X);
  // 2. the network: the same start, and the same shuffles, for every variant
  const nn::Mlp start = make_network(o.hidden, o.init, seed);
  const nn::SgdSettings sgd{o.epochs, o.batch, o.learning_rate, {}, seed};
  // 3. train each variant: only the cure differs
  r.runs = train_all(variants(o), data, start, sgd, progress, jobs);
  // 4. (--full) all 50 000 images that are not validation ones, none against L2
  if (o.full) {
    r.full_images = static_cast<int>(mnist.train.pixels.n_cols) - o.validation_images;
    const Data full = load_data(mnist, r.full_images, o.validation_images);
    const nn::SgdSettings full_sgd{o.full_epochs, o.batch, o.learning_rate, {}, seed};
    r.full_runs = train_all({{"none", nn::Penalty::Kind::none, 0.0, 0},
                             {"l2", nn::Penalty::Kind::l2, o.full_lambda, 0}},
                            full, start, full_sgd, progress, jobs);
  }
  r.seconds = clock.seconds();
  return r;
}
// [/book:run]

}  // namespace ch10
