#include "lesson.hpp"

#include <cmath>

#include "common/nn/activations.hpp"
#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/initializers.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/stopwatch.hpp"

namespace ch02 {

Seeds seeds_from(std::uint32_t seed) {
  return {seed, seed + 1};
}

// [book:init]
Parameters initialize_parameters(arma::uword n_x, arma::uword n_h, arma::uword n_y,
                                 std::uint32_t seed, double scale, nn::Activation g1) {
  nn::NumpyRandom rng(seed);
  Parameters p;
  p.g1 = g1;
  // Small random weights (scale 0.01): different units start different (no symmetry), and
  // tanh, σ start in their steep middle, where the gradient is largest.
  p.W1 = nn::scaled_normal(rng, n_h, n_x, scale);
  p.b1 = arma::zeros(n_h, 1);
  p.W2 = nn::scaled_normal(rng, n_y, n_h, scale);
  p.b2 = arma::zeros(n_y, 1);
  return p;
}
// [/book:init]

// [book:forward]
Cache forward(const Parameters& p, const arma::mat& X) {
  Cache c;
  // Z1 = W1 X + b1   (b1 is added to every column: one per sample)
  c.Z1 = p.W1 * X;
  c.Z1.each_col() += p.b1;
  // A1 = g1(Z1) = tanh(Z1)   (or the hidden units --activation chooses)
  c.A1 = nn::activate(p.g1, c.Z1);
  // Z2 = W2 A1 + b2
  c.Z2 = p.W2 * c.A1;
  c.Z2.each_col() += p.b2;
  // A2 = σ(Z2) = P(y = 1 | x)
  c.A2 = nn::sigmoid(c.Z2);
  return c;
}
// [/book:forward]

// [book:cost]
double compute_cost(const Cache& cache, const arma::mat& Y) {
  // J = −(1/m) Σ [y ln a + (1 − y) ln(1 − a)], computed from the logits Z2 so that it stays
  // finite when a rounds to 0 or 1
  return nn::binary_cross_entropy(cache.Z2, Y);
}
// [/book:cost]

double compute_cost_from_A2(const Cache& cache, const arma::mat& Y) {
  const arma::mat logprobs = Y % arma::log(cache.A2) + (1.0 - Y) % arma::log(1.0 - cache.A2);
  return -arma::accu(logprobs) / static_cast<double>(Y.n_cols);
}

// [book:backward]
Gradients backward(const Parameters& p, const Cache& c, const arma::mat& X, const arma::mat& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ2 = A2 − Y   (σ and the cross-entropy together; n_y × m)
  const arma::mat dZ2 = c.A2 - Y;
  // dW2 = (1/m) dZ2 A1ᵀ
  g.dW2 = (1.0 / m) * (dZ2 * c.A1.t());
  // db2 = (1/m) Σ dZ2   (sum over the samples)
  g.db2 = (1.0 / m) * arma::sum(dZ2, 1);
  // dZ1 = W2ᵀ dZ2 ∘ g1′(Z1)   (tanh′(Z1) = 1 − tanh²(Z1) = 1 − A1²; n_h × m)
  const arma::mat dZ1 = (p.W2.t() * dZ2) % nn::activate_prime(p.g1, c.Z1);
  // dW1 = (1/m) dZ1 Xᵀ
  g.dW1 = (1.0 / m) * (dZ1 * X.t());
  // db1 = (1/m) Σ dZ1
  g.db1 = (1.0 / m) * arma::sum(dZ1, 1);
  return g;
}
// [/book:backward]

// [book:update]
void update(Parameters& p, const Gradients& grads, double learning_rate) {
  // θ ← θ − α dθ, for each of the four parameters (the course's update_parameters)
  p.W1 -= learning_rate * grads.dW1;
  p.b1 -= learning_rate * grads.db1;
  p.W2 -= learning_rate * grads.dW2;
  p.b2 -= learning_rate * grads.db2;
}
// [/book:update]

// [book:train]
Training train(const nn::Dataset& data, Parameters initial, double learning_rate, int iterations,
               nn::Progress& progress) {
  Training t{std::move(initial), {}};
  t.costs.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const Cache cache = forward(t.parameters, data.X);
    // the cost is recorded before the step, as the lesson prints it
    const double J = compute_cost(cache, data.Y);
    nn::check_cost(J, i);
    t.costs.push_back(J);
    if (i % 1000 == 0) progress.step("iteration", i, iterations, {{"cost", J}});
    update(t.parameters, backward(t.parameters, cache, data.X, data.Y), learning_rate);
  }
  return t;
}
// [/book:train]

arma::mat predict_proba(const Parameters& p, const arma::mat& X) {
  return forward(p, X).A2;
}

// [book:study]
std::vector<StudyResult> hidden_size_study(const nn::Dataset& data, const std::vector<int>& sizes,
                                           double learning_rate, int iterations,
                                           std::uint32_t init_seed, double init_scale,
                                           nn::Activation g1, nn::Progress& progress) {
  std::vector<StudyResult> study;
  nn::NoProgress quiet;
  for (const int n_h : sizes) {
    // every network starts from the same seed (the lesson re-seeds for each size)
    const Parameters initial =
        initialize_parameters(data.X.n_rows, n_h, 1, init_seed, init_scale, g1);
    Training t = train(data, initial, learning_rate, iterations, quiet);
    const double accuracy = nn::binary_accuracy(predict_proba(t.parameters, data.X), data.Y);
    study.push_back({n_h, accuracy, std::move(t.parameters)});
    progress.step("hidden-size study network", static_cast<long>(study.size()),
                  static_cast<long>(sizes.size()),
                  {{"n_h", static_cast<double>(n_h)}, {"accuracy", accuracy}});
  }
  return study;
}
// [/book:study]

arma::mat grid_over(const arma::mat& X, arma::uword n) {
  // a margin of 1 around the data; x1 varies fastest (2 × n²)
  return nn::grid_points(X.row(0).min() - 1.0, X.row(0).max() + 1.0, X.row(1).min() - 1.0,
                         X.row(1).max() + 1.0, n);
}

std::optional<std::size_t> first_rise(const std::vector<double>& costs) {
  for (std::size_t i = 1; i < costs.size(); ++i)
    if (costs[i] > costs[i - 1]) return i;
  return std::nullopt;
}

const std::vector<double>& cost_levels() {
  static const std::vector<double> levels{0.5, 0.3};
  return levels;
}

namespace {

constexpr arma::uword kGrid = 200;       // the two boundary maps: 200 × 200 points
constexpr arma::uword kStudyGrid = 100;  // each small map of the study: 100 × 100

// P(y = 1 | x) of the study's networks and of the neuron on the study's grid.
Map study_maps(const nn::Dataset& data, const std::vector<StudyResult>& study,
               const nn::NeuronLayer& neuron) {
  Map map{grid_over(data.X, kStudyGrid), {}};
  for (const StudyResult& s : study) map.A.push_back(predict_proba(s.parameters, map.grid));
  map.A.push_back(nn::neuron_output(neuron, map.grid));
  return map;
}

}  // namespace

// [book:run]
Results run(const Options& o, std::uint32_t seed, nn::Progress& progress) {
  const nn::Stopwatch clock;
  Results r;
  r.seeds = seeds_from(seed);
  // 1. Data: X is 2 × 400, Y is 1 × 400
  r.data = nn::make_planar_flower(r.seeds.data);
  const nn::Dataset& data = r.data;
  // 2. The baseline: no hidden layer, one neuron from w = 0, b = 0
  r.neuron = nn::NeuronLayer{arma::zeros(1, data.X.n_rows), arma::zeros(1, 1)};
  r.baseline_cost = nn::train_neuron(r.neuron, data.X, data.Y, o.learning_rate, o.iterations);
  r.baseline_accuracy = nn::binary_accuracy(nn::neuron_output(r.neuron, data.X), data.Y);
  // 3. The network 2 → n_h → 1, from small random weights
  const Parameters initial = initialize_parameters(data.X.n_rows, o.hidden_units, data.Y.n_rows,
                                                   r.seeds.init, o.init_scale, o.g1);
  r.training = train(data, initial, o.learning_rate, o.iterations, progress);
  r.final_cost = compute_cost(forward(r.training.parameters, data.X), data.Y);
  r.accuracy = nn::binary_accuracy(predict_proba(r.training.parameters, data.X), data.Y);
  r.first_cost_rise = first_rise(r.training.costs);
  for (const double level : cost_levels())
    r.first_cost_below.push_back(nn::first_below(r.training.costs, level));
  // 4. How many hidden units does the flower need?
  r.study = hidden_size_study(data, o.study_sizes, o.learning_rate, o.study_iterations,
                              r.seeds.init, o.init_scale, o.g1, progress);
  // 5. What each model says over the plane: the decision boundaries
  const arma::mat G = grid_over(data.X, kGrid);  // 2 × 200²
  r.boundaries = {G, {predict_proba(r.training.parameters, G), nn::neuron_output(r.neuron, G)}};
  r.study_maps = study_maps(data, r.study, r.neuron);
  r.seconds = clock.seconds();
  return r;
}
// [/book:run]

}  // namespace ch02
