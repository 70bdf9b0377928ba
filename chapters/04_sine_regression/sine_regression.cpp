#include "sine_regression.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <sstream>

#include "common/activations.hpp"
#include "common/errors.hpp"
#include "common/initializers.hpp"
#include "common/losses.hpp"
#include "common/metrics.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/results.hpp"

namespace ch04 {

// ---- data -------------------------------------------------------------------------------

// [book:split]
Split split_validation(const nn::SineData& data) {
  // The points are drawn independently, so the last tenth is as random a subset as any
  // (Keras's validation_split takes the last tenth in the same way).
  const arma::uword m = data.train.X.n_cols, m_validation = m / 10, m_train = m - m_validation;
  Split split;
  split.train = {data.train.X.cols(0, m_train - 1), data.train.Y.cols(0, m_train - 1)};
  split.validation = {data.train.X.cols(m_train, m - 1), data.train.Y.cols(m_train, m - 1)};
  split.test = data.test;
  return split;
}
// [/book:split]

// ---- model ------------------------------------------------------------------------------

Network initialize(arma::uword n_h, nn::NumpyRandom& rng) {
  Network net;
  net.W1 = nn::xavier(rng, n_h, 1);  // std √(2/(1 + n_h))
  net.b1 = arma::zeros(n_h, 1);
  net.W2 = nn::xavier(rng, 1, n_h);
  net.b2 = arma::zeros(1, 1);
  return net;
}

// [book:forward]
const arma::mat& forward(const Network& net, const arma::mat& X, Cache& cache) {
  // Z1 = W1 X + b1: n_h × m, one line w1_j x + b1_j per hidden unit
  cache.Z1 = net.W1 * X;
  cache.Z1.each_col() += net.b1;
  // A1 = σ(Z1): each unit a smoothed step, rising where w1_j x + b1_j crosses 0
  cache.A1 = nn::sigmoid(cache.Z1);
  // A2 = W2 A1 + b2: the identity output, a weighted sum of the steps (no squashing, so any
  // real value can be predicted)
  cache.A2 = net.W2 * cache.A1;
  cache.A2 += net.b2(0, 0);
  return cache.A2;
}
// [/book:forward]

arma::mat predict(const Network& net, const arma::mat& X) {
  Cache cache;
  return forward(net, X, cache);
}

// [book:backward]
Gradients backward(const Network& net, const Cache& cache, const arma::mat& X, const arma::mat& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ2 = ∂J/∂Z2 = (A2 − Y)/m: the output is the identity (A2 = Z2), so dZ2 is the residual
  const arma::mat dZ2 = (cache.A2 - Y) / m;
  // dW2 = dZ2 A1ᵀ,  db2 = Σ_columns dZ2
  g.dW2 = dZ2 * cache.A1.t();
  g.db2 = arma::sum(dZ2, 1);
  // dZ1 = W2ᵀ dZ2 ∘ σ'(Z1), with σ'(Z1) = A1 ∘ (1 − A1)
  const arma::mat dZ1 = (net.W2.t() * dZ2) % (cache.A1 % (1.0 - cache.A1));
  // dW1 = dZ1 Xᵀ,  db1 = Σ_columns dZ1
  g.dW1 = dZ1 * X.t();
  g.db1 = arma::sum(dZ1, 1);
  return g;
}
// [/book:backward]

// [book:contributions]
arma::mat hidden_contributions(const Network& net, const arma::mat& X) {
  Cache cache;
  forward(net, X, cache);
  // row j: w2_j · σ(w1_j x + b1_j); summing the rows and adding b2 gives ŷ
  arma::mat C = cache.A1;
  C.each_col() %= net.W2.t();
  return C;
}
// [/book:contributions]

// ---- training ---------------------------------------------------------------------------

namespace {

double cost(const Network& net, const nn::Dataset& d) {
  return nn::squared_error_cost(predict(net, d.X), d.Y);
}

// One pass over the training set in a fresh random order, one step per mini-batch.
// [book:epoch]
void train_epoch(Network& net, const nn::Dataset& d, const TrainConfig& config,
                 nn::NumpyRandom& rng) {
  const arma::uword m = d.X.n_cols;
  const arma::uvec order = rng.permutation(m);
  Cache cache;
  for (arma::uword start = 0; start < m; start += config.batch) {
    const arma::uvec batch = order.subvec(start, std::min(start + config.batch, m) - 1);
    const arma::mat X = d.X.cols(batch), Y = d.Y.cols(batch);
    forward(net, X, cache);
    const Gradients g = backward(net, cache, X, Y);
    // θ ← θ − α ∂J/∂θ
    net.W1 -= config.learning_rate * g.dW1;
    net.b1 -= config.learning_rate * g.db1;
    net.W2 -= config.learning_rate * g.dW2;
    net.b2 -= config.learning_rate * g.db2;
  }
}
// [/book:epoch]

}  // namespace

History train(Network& net, const nn::Dataset& train_set, const nn::Dataset& validation,
              const TrainConfig& config, nn::NumpyRandom& rng, bool progress) {
  History history;
  nn::Progress line;
  for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
    train_epoch(net, train_set, config, rng);
    history.train_loss.push_back(cost(net, train_set));
    history.validation_loss.push_back(cost(net, validation));
    nn::check_finite(history.train_loss.back(), epoch, "training cost");
    nn::check_finite(history.validation_loss.back(), epoch, "validation cost");
    const bool done = history.validation_loss.back() <= config.stop_loss;
    if (progress && (epoch % 100 == 0 || done || epoch == config.max_epochs)) {
      char text[120];
      std::snprintf(text, sizeof text, "epoch %5d  training cost %.6f  validation cost %.6f", epoch,
                    history.train_loss.back(), history.validation_loss.back());
      line.update(text);
    }
    if (done) break;
  }
  return history;
}

// ---- evaluation -------------------------------------------------------------------------

Metrics evaluate(const arma::mat& y, const arma::mat& y_hat) {
  return {nn::mae(y, y_hat), nn::mape(y, y_hat), nn::sse(y, y_hat),
          nn::mse(y, y_hat), nn::rmse(y, y_hat), nn::r2(y, y_hat)};
}

// ---- the polynomial baseline ------------------------------------------------------------

// [book:polynomial]
arma::mat vandermonde(const arma::mat& X, int degree) {
  const arma::vec x = arma::vectorise(X);
  arma::mat V(x.n_elem, static_cast<arma::uword>(degree) + 1);
  V.col(0).ones();
  // column k is x^k, built by repeated multiplication
  for (arma::uword k = 1; k < V.n_cols; ++k) V.col(k) = V.col(k - 1) % x;
  return V;
}

arma::vec fit_polynomial(const arma::mat& X, const arma::mat& Y, int degree) {
  // minimise ‖V c − y‖²: for a tall V, solve() calls LAPACK's least-squares solver (QR)
  return arma::solve(vandermonde(X, degree), arma::vectorise(Y));
}

arma::mat predict_polynomial(const arma::vec& c, const arma::mat& X) {
  return (vandermonde(X, static_cast<int>(c.n_elem) - 1) * c).t();
}
// [/book:polynomial]

// ---- hyperparameter search --------------------------------------------------------------

// [book:candidates]
std::vector<Trial> grid_candidates() {
  std::vector<Trial> grid;
  // 4 × 4 = kTrials: α = 0.01, 0.1, 1, 10 (a factor 10 apart) × n_h = 1, 2, 4, 8
  for (int i = 0; i < 4; ++i)
    for (int n_h : {1, 2, 4, 8})
      grid.push_back({n_h, kMinRate * std::pow(kMaxRate / kMinRate, i / 3.0), 0.0, 0});
  return grid;
}

std::vector<Trial> random_candidates(nn::NumpyRandom& rng) {
  std::vector<Trial> trials;
  for (int t = 0; t < kTrials; ++t) {
    // log-uniform: each factor of 10 in α is equally likely
    const double rate = std::exp(rng.uniform(std::log(kMinRate), std::log(kMaxRate)));
    const int n_h = kMinHidden + static_cast<int>(rng.interval(kMaxHidden - kMinHidden));
    trials.push_back({n_h, rate, 0.0, 0});
  }
  return trials;
}
// [/book:candidates]

// [book:search]
SearchResult search(std::vector<Trial> candidates, const Split& split, const TrainConfig& config,
                    std::uint32_t seed) {
  SearchResult result{{}, {0, 0.0, std::numeric_limits<double>::infinity(), 0}, {}};
  for (Trial trial : candidates) {
    // every trial starts from the same seed, so trials differ by their hyperparameters only
    nn::NumpyRandom rng(seed);
    Network net = initialize(static_cast<arma::uword>(trial.hidden), rng);
    TrainConfig trial_config = config;
    trial_config.learning_rate = trial.learning_rate;
    try {
      const History h = train(net, split.train, split.validation, trial_config, rng, false);
      trial.validation_loss = h.validation_loss.back();
      trial.epochs = h.epochs();
    } catch (const nn::DivergedError& e) {
      trial.validation_loss = std::numeric_limits<double>::infinity();  // too large a step
      trial.epochs = static_cast<int>(e.iteration);
    }
    // chosen on the validation set only: the test set plays no part in the choice
    if (trial.validation_loss < result.best.validation_loss) {
      result.best = trial;
      result.best_net = net;
    }
    result.trials.push_back(trial);
  }
  return result;
}
// [/book:search]

}  // namespace ch04
