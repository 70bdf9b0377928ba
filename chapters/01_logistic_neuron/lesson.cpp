#include "lesson.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/stopwatch.hpp"
#include "common/plumbing/hdf5_data.hpp"

namespace ch01 {

Neuron initialize_zeros(arma::uword n_x) {
  // A single unit has no symmetry to break: w = 0, b = 0 is a fine start (A = ½ everywhere).
  return Neuron{arma::vec(n_x, arma::fill::zeros), 0.0};
}

// [book:forward]
Forward forward(const Neuron& neuron, const arma::mat& X) {
  Forward f;
  // Z = wᵀX + b: one weighted sum per column (sample)
  f.Z = neuron.w.t() * X + neuron.b;
  // A = σ(Z) = 1 / (1 + e^−Z): the probability that each picture is a cat
  f.A = nn::sigmoid(f.Z);
  return f;
}
// [/book:forward]

double textbook_cost(const arma::rowvec& A, const arma::rowvec& Y) {
  // ln 0 = −inf, and 0 · (−inf) = NaN: one saturated sample spoils the whole sum
  return -arma::accu(Y % arma::log(A) + (1.0 - Y) % arma::log(1.0 - A)) /
         static_cast<double>(A.n_elem);
}

// [book:backward]
Gradients backward(const arma::mat& X, const arma::rowvec& A, const arma::rowvec& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ = A − Y: σ' and the derivative of the log cancel (see the book)
  const arma::rowvec dZ = A - Y;
  // dw = (1/m) X dZᵀ: each weight's blame, averaged over the samples
  g.dw = X * dZ.t() / m;
  // db = (1/m) Σ dZ
  g.db = arma::accu(dZ) / m;
  return g;
}
// [/book:backward]

// [book:update]
void update(Neuron& neuron, const Gradients& grads, double learning_rate) {
  // w ← w − α dw,  b ← b − α db: a step downhill on J
  neuron.w -= learning_rate * grads.dw;
  neuron.b -= learning_rate * grads.db;
}
// [/book:update]

// Gradient descent has overshot so far that σ saturates on every picture: each a is exactly 0
// or 1, so σ'(z) = a(1 − a) = 0 and J has no curvature left (λ = 0, 2/λ = ∞). That is
// divergence, though J itself stays finite (it is computed from Z).
void check_not_saturated(const arma::rowvec& A, long iteration) {
  if (arma::any(A % (1.0 - A) != 0.0)) return;
  throw nn::DivergedError(
      "training diverged at iteration " + std::to_string(iteration) + ": every a is exactly 0 or 1",
      iteration, nn::Cause::learning_rate);
}

Training train(const arma::mat& X, const arma::rowvec& Y, const Options& options,
               nn::Progress& progress) {
  Training t{initialize_zeros(X.n_rows), {}};
  t.costs.reserve(static_cast<std::size_t>(options.iterations));
  // [book:train]
  for (int i = 0; i < options.iterations; ++i) {
    const Forward f = forward(t.neuron, X);
    // J = (1/m) Σ [−y ln a − (1 − y) ln(1 − a)], computed from Z so that it stays finite
    const double J = nn::binary_cross_entropy<double>(f.Z, Y);
    nn::check_cost(J, i);
    check_not_saturated(f.A, i);
    t.costs.push_back(J);
    if (!std::isfinite(textbook_cost(f.A, Y))) ++t.textbook_failures;
    if (i % 100 == 0)
      progress.step("iteration", i, options.iterations,
                    {{"learning rate", options.learning_rate}, {"cost", J}});
    update(t.neuron, backward(X, f.A, Y), options.learning_rate);
  }
  // [/book:train]
  return t;
}

arma::mat gram(const arma::mat& X) {
  // X̃ᵀX̃ = XᵀX + 1·1ᵀ
  return X.t() * X + 1.0;
}

// [book:curvature]
double curvature(const arma::mat& G, const arma::rowvec& A) {
  // H = (1/m) X̃ diag(a(1 − a)) X̃ᵀ is 12289 × 12289, but with S = diag(√(a(1 − a)/m)) it
  // is (X̃S)(X̃S)ᵀ, whose nonzero eigenvalues are those of the m × m matrix S X̃ᵀX̃ S
  const arma::vec s = arma::sqrt(A % (1.0 - A) / static_cast<double>(A.n_elem)).t();
  const arma::mat K = G % (s * s.t());
  return arma::eig_sym(K).max();
}
// [/book:curvature]

arma::rowvec predict(const Neuron& neuron, const arma::mat& X) {
  // ŷ = 1 when a > ½, that is when z > 0
  return arma::conv_to<arma::rowvec>::from(forward(neuron, X).A > 0.5);
}

Evaluation evaluate(const Training& training, const CatSet& data, const arma::mat& G,
                    double learning_rate) {
  const Forward train_pass = forward(training.neuron, data.X_train);
  const Forward test_pass = forward(training.neuron, data.X_test);
  // the neuron after the last update, which train has not seen
  check_not_saturated(train_pass.A, static_cast<long>(training.costs.size()));
  return Evaluation{learning_rate,
                    nn::binary_accuracy(train_pass.A, data.Y_train),
                    nn::binary_accuracy(test_pass.A, data.Y_test),
                    nn::binary_cross_entropy<double>(train_pass.Z, data.Y_train),
                    training.textbook_failures,
                    curvature(G, train_pass.A)};
}

const std::vector<double>& study_learning_rates() {
  static const std::vector<double> rates{0.05, 0.01, 0.005, 0.001, 0.0001};
  return rates;
}

// [book:slowdown]
OneInputRun learn_one_input(Cost cost, double w, double b, double learning_rate, int iterations) {
  const double x = 1.0, y = 0.0;  // the one input, and the answer the neuron must learn
  OneInputRun run{cost, w, b, learning_rate, {}, {}, {}};
  for (int i = 0; i <= iterations; ++i) {
    const double a = nn::sigmoid(w * x + b);
    run.outputs.push_back(a);
    // 𝓛 = ½(a − y)²  or  𝓛 = −y ln a − (1 − y) ln(1 − a)
    run.losses.push_back(cost == Cost::squared_error
                             ? 0.5 * (a - y) * (a - y)
                             : -y * std::log(a) - (1 - y) * std::log(1 - a));
    if (i == iterations) break;  // the neuron after the last step has been measured
    // ∂𝓛/∂z = ∂𝓛/∂a · σ'(z): the squared error keeps σ'(z) = a(1 − a), the cross-entropy
    // cancels it and leaves a − y
    const double dz = cost == Cost::squared_error ? (a - y) * a * (1 - a) : a - y;
    run.gradients.push_back(dz);
    // w ← w − α x ∂𝓛/∂z,  b ← b − α ∂𝓛/∂z
    w -= learning_rate * x * dz;
    b -= learning_rate * dz;
  }
  return run;
}
// [/book:slowdown]

std::vector<OneInputRun> slowdown_experiment() {
  std::vector<OneInputRun> runs;
  for (const auto& [w, b] : {std::pair{0.6, 0.9}, std::pair{2.0, 2.0}})
    for (const Cost cost : {Cost::squared_error, Cost::cross_entropy})
      runs.push_back(learn_one_input(cost, w, b, 0.15, 300));
  return runs;
}

Results run(const Options& options, const std::filesystem::path& data_dir, nn::Progress& progress) {
  const nn::Stopwatch clock;
  Results r;
  // 1. Data: 209 training and 50 test pictures, each a column of 12288 numbers in [0, 1].
  r.data = nn::load_cat_set(data_dir / "catvnoncat");
  const arma::mat& X = r.data.X_train;
  const arma::rowvec& Y = r.data.Y_train;
  // 2. How steep is J at the start? At w = 0, b = 0 every a is ½.
  const arma::mat G = gram(X);
  r.curvature_start = curvature(G, arma::rowvec(G.n_cols, arma::fill::value(0.5)));
  // 3. Model and training: one neuron from w = 0, b = 0, full-batch gradient descent.
  r.lesson = train(X, Y, options, progress);
  // 4. Evaluation: ŷ = 1 when a > ½, on the training and the test pictures.
  r.evaluation = evaluate(r.lesson, r.data, G, options.learning_rate);
  r.test_A = forward(r.lesson.neuron, r.data.X_test).A;
  r.test_prediction = predict(r.lesson.neuron, r.data.X_test);
  // 5. The learning-rate study: the same model from the same zero start at five rates (the
  // run at the lesson's own rate is reused rather than repeated).
  for (const double rate : study_learning_rates()) {
    r.study.push_back(rate == options.learning_rate
                          ? r.lesson
                          : train(X, Y, Options{options.iterations, rate}, progress));
    r.study_evaluations.push_back(evaluate(r.study.back(), r.data, G, rate));
  }
  // 6. The detour: why the cross-entropy, shown on one neuron with one input.
  r.slowdown = slowdown_experiment();
  r.seconds = clock.seconds();
  return r;
}

}  // namespace ch01
