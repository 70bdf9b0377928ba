// The lesson of chapter 04: data → model → train → evaluate → the polynomial baseline, and
// run(), the story in the book's order. The hyperparameter search is in search.cpp.
#include "lesson.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/stopwatch.hpp"

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
Cache forward(const Network& net, const arma::mat& X) {
  Cache cache;
  // Z1 = W1 X + b1: n_h × m, one line w1_j x + b1_j per hidden unit
  cache.Z1 = net.W1 * X;
  cache.Z1.each_col() += net.b1;
  // A1 = σ(Z1): each unit a smoothed step, rising where w1_j x + b1_j crosses 0
  cache.A1 = nn::sigmoid(cache.Z1);
  // A2 = W2 A1 + b2: the identity output, a weighted sum of the steps (no squashing, so any
  // real value can be predicted)
  cache.A2 = net.W2 * cache.A1;
  cache.A2.each_col() += net.b2;
  return cache;
}
// [/book:forward]

arma::mat predict(const Network& net, const arma::mat& X) {
  return forward(net, X).A2;
}

// [book:backward]
Gradients backward(const Network& net, const Cache& cache, const arma::mat& X, const arma::mat& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ2 = A2 − Y: the output is the identity (A2 = Z2), so dZ2 is the residual
  const arma::mat dZ2 = cache.A2 - Y;
  // dW2 = (1/m) dZ2 A1ᵀ,  db2 = (1/m) Σ_columns dZ2
  g.dW2 = dZ2 * cache.A1.t() / m;
  g.db2 = arma::sum(dZ2, 1) / m;
  // dZ1 = W2ᵀ dZ2 ∘ σ'(Z1), with σ'(Z1) = A1 ∘ (1 − A1)
  const arma::mat dZ1 = (net.W2.t() * dZ2) % (cache.A1 % (1.0 - cache.A1));
  // dW1 = (1/m) dZ1 Xᵀ,  db1 = (1/m) Σ_columns dZ1
  g.dW1 = dZ1 * X.t() / m;
  g.db1 = arma::sum(dZ1, 1) / m;
  return g;
}
// [/book:backward]

// [book:update]
void update(Network& net, const Gradients& grads, double learning_rate) {
  // θ ← θ − α ∂J/∂θ
  net.W1 -= learning_rate * grads.dW1;
  net.b1 -= learning_rate * grads.db1;
  net.W2 -= learning_rate * grads.dW2;
  net.b2 -= learning_rate * grads.db2;
}
// [/book:update]

// [book:contributions]
arma::mat hidden_contributions(const Network& net, const arma::mat& X) {
  // row j: w2_j · σ(w1_j x + b1_j); summing the rows and adding b2 gives ŷ
  arma::mat C = forward(net, X).A1;
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
  for (arma::uword start = 0; start < m; start += config.batch) {
    const arma::uvec batch = order.subvec(start, std::min(start + config.batch, m) - 1);
    const arma::mat X = d.X.cols(batch), Y = d.Y.cols(batch);
    const Cache cache = forward(net, X);
    update(net, backward(net, cache, X, Y), config.learning_rate);
  }
}
// [/book:epoch]

}  // namespace

Training train(Network net, const nn::Dataset& train_set, const nn::Dataset& validation,
               const TrainConfig& config, nn::NumpyRandom& rng, nn::Progress& progress) {
  History history;
  for (int epoch = 1; epoch <= config.max_epochs; ++epoch) {
    train_epoch(net, train_set, config, rng);
    history.train_loss.push_back(cost(net, train_set));
    history.validation_loss.push_back(cost(net, validation));
    nn::check_cost(history.train_loss.back(), epoch, nn::kNoCeiling, "training cost");
    nn::check_cost(history.validation_loss.back(), epoch, nn::kNoCeiling, "validation cost");
    const bool done = history.validation_loss.back() <= config.stop_loss;
    if (epoch % 100 == 0 || done || epoch == config.max_epochs)
      progress.step("epoch", epoch, config.max_epochs,
                    {{"training cost", history.train_loss.back()},
                     {"validation cost", history.validation_loss.back()}});
    if (done) break;
  }
  return {net, history};
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

std::vector<PolynomialFit> polynomial_sweep(const Split& s) {
  std::vector<PolynomialFit> fits;
  for (int degree = 1; degree <= kMaxDegree; ++degree) {
    const arma::vec c = fit_polynomial(s.train.X, s.train.Y, degree);
    // the degree is chosen on the validation cost; the test R² is reported, never used
    const double validation =
        nn::squared_error_cost(predict_polynomial(c, s.validation.X), s.validation.Y);
    const Metrics test = evaluate(s.test.Y, predict_polynomial(c, s.test.X));
    fits.push_back({degree, c, validation, test.r2});
  }
  return fits;
}

// ---- the lesson -------------------------------------------------------------------------

namespace {

// 450 training, 50 validation and 100 test points of y = sin 2πx.
Split load_data(const Options& o, std::uint32_t seed) {
  Split s = split_validation(nn::make_sine(seed));
  if (static_cast<arma::uword>(o.batch) > s.train.X.n_cols)
    throw nn::UsageError("--batch: " + std::to_string(o.batch) + " is larger than the " +
                         std::to_string(s.train.X.n_cols) + " training samples");
  return s;
}

// The curves the figures draw over the test points.
TestCurves test_curves(const Results& r) {
  const arma::mat& x = r.data.test.X;  // 1 × m
  return {predict(r.net, x), hidden_contributions(r.net, x),
          predict_polynomial(r.polynomials[kBaseDegree - 1].c, x),
          predict_polynomial(r.polynomials[kMaxDegree - 1].c, x)};
}

}  // namespace

Results run(const Options& o, std::uint32_t seed, nn::Progress& progress) {
  const nn::Stopwatch clock;
  Results r;
  // 1. data: 450 training, 50 validation, 100 test points
  r.data = load_data(o, seed);
  const Split& s = r.data;
  // 2. model: a 1-n_h-1 network; its draws (weights, mini-batch order) use seed + 1, not the
  // data's numbers
  nn::NumpyRandom rng(seed + 1);
  const Network start = initialize(static_cast<arma::uword>(o.hidden), rng);
  // 3. train until the validation cost reaches stop_loss
  const TrainConfig config{o.learning_rate, static_cast<arma::uword>(o.batch), o.epochs,
                           o.stop_loss};
  Training training = train(start, s.train, s.validation, config, rng, progress);
  r.net = std::move(training.net);
  r.history = std::move(training.history);
  // 4. evaluate: the network's one look at the test set
  r.test = evaluate(s.test.Y, predict(r.net, s.test.X));
  // 5. the baseline: polynomials of degree 1 … 9 by least squares
  r.polynomials = polynomial_sweep(s);
  r.cubic_test = evaluate(s.test.Y, predict_polynomial(r.polynomials[kBaseDegree - 1].c, s.test.X));
  // 6. hyperparameter search: the same budget of short trials for the grid and the random draws
  r.searches = search_both(s, config, o.search_epochs, o.grid_rates, seed);
  r.curves = test_curves(r);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace ch04
