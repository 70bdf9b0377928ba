#include "lesson.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "common/nn/errors.hpp"
#include "common/nn/grid.hpp"
#include "common/nn/losses.hpp"
#include "common/nn/metrics.hpp"
#include "common/nn/stopwatch.hpp"

namespace ch03 {

// ---- The proof, in integers ------------------------------------------------------------------

std::vector<Demand> demands(const nn::Dataset& gate) {
  std::vector<Demand> rows;
  for (arma::uword j = 0; j < gate.X.n_cols; ++j) {
    const double x1 = gate.X(0, j), x2 = gate.X(1, j), y = gate.Y(0, j);
    if (x1 != std::round(x1) || x2 != std::round(x2) || (y != 0.0 && y != 1.0))
      throw std::logic_error("demands: a truth table holds integer inputs and 0/1 labels");
    // label 1 demands z > 0; label 0 demands z < 0, i.e. −z > 0
    rows.push_back({{std::lround(x1), std::lround(x2), 1}, y == 1.0 ? +1 : -1});
  }
  return rows;
}

// [book:certificate]
bool is_certificate(const std::vector<Demand>& rows, const Certificate& mu) {
  if (mu.size() != rows.size()) return false;
  bool some_positive = false;
  std::array<long, 3> sum{0, 0, 0};  // Σ μ_i s_i x_i, coefficient by coefficient
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (mu[i] < 0) return false;
    some_positive = some_positive || mu[i] > 0;
    for (std::size_t k = 0; k < 3; ++k) sum[k] += mu[i] * rows[i].s * rows[i].x[k];
  }
  // Σ μ_i s_i (x_i · w) is then 0 for every w, yet the demands make it > 0: no w exists.
  return some_positive && sum == std::array<long, 3>{0, 0, 0};
}
// [/book:certificate]

bool separates(const std::vector<Demand>& rows, const Line& w) {
  for (const Demand& row : rows) {
    // z = x1·w1 + x2·w2 + b, exactly, in integers; the demand is strict: s·z > 0
    const long z = row.x[0] * w[0] + row.x[1] * w[1] + row.x[2] * w[2];
    if (row.s * z <= 0) return false;
  }
  return true;
}

std::optional<Certificate> find_certificate(const std::vector<Demand>& rows, long max_multiplier) {
  // Four rows and three unknowns: the multipliers, when they exist, are small whole numbers,
  // and the search is exhaustive, so "none found" is a fact about these bounds, not a guess.
  std::optional<Certificate> best;
  const auto total = [](const Certificate& c) { return std::accumulate(c.begin(), c.end(), 0L); };
  // Count through every μ ∈ {0, …, max}^m like an odometer, first row fastest.
  Certificate mu(rows.size(), 0);
  while (true) {
    if (is_certificate(rows, mu) && (!best || total(mu) < total(*best))) best = mu;
    std::size_t i = 0;
    while (i < mu.size() && mu[i] == max_multiplier) mu[i++] = 0;
    if (i == mu.size()) return best;
    ++mu[i];
  }
}

std::optional<Line> find_line(const std::vector<Demand>& rows, long bound) {
  // The smallest integers that work read like the textbook's gates (AND: 2, 2, −3).
  std::optional<Line> best;
  const auto size = [](const Line& w) { return std::abs(w[0]) + std::abs(w[1]) + std::abs(w[2]); };
  for (long w1 = -bound; w1 <= bound; ++w1)
    for (long w2 = -bound; w2 <= bound; ++w2)
      for (long b = -bound; b <= bound; ++b)
        if (const Line w{w1, w2, b}; separates(rows, w) && (!best || size(w) < size(*best)))
          best = w;
  return best;
}

Verdict decide(const std::string& gate) {
  const std::vector<Demand> rows = demands(nn::make_truth_table(gate));
  Verdict verdict{gate, find_line(rows), find_certificate(rows)};
  // A certificate proves that no line exists, so finding both would be a bug; finding neither
  // would mean the search bounds are too small for this table.
  if (verdict.line.has_value() == verdict.certificate.has_value())
    throw std::logic_error(gate + ": found " + (verdict.line ? "both" : "neither") +
                           " a separating line and a certificate");
  return verdict;
}

std::array<long, 3> certificate_sum(const std::vector<Demand>& rows, const Certificate& mu) {
  // Its b coefficient is Σ μ_i over the label-1 rows, which the certificate makes equal to the
  // same sum over the label-0 rows: both groups carry weight, so both halves of the sentence
  // are strict, and the proof would survive a threshold that puts z = 0 on either side.
  std::array<long, 3> sum{0, 0, 0};
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].s > 0)
      for (std::size_t k = 0; k < 3; ++k) sum[k] += mu[i] * rows[i].x[k];
  return sum;
}

// ---- The numbers agree ------------------------------------------------------------------------

// s_i·z_i for every row: positive where the line puts the row on its label's side.
static arma::rowvec signed_z(const nn::Dataset& data, double w1, double w2, double b) {
  arma::rowvec sz(data.X.n_cols);
  for (arma::uword j = 0; j < data.X.n_cols; ++j) {
    const double s = data.Y.at(0, j) == 1.0 ? 1.0 : -1.0;
    sz(j) = s * (w1 * data.X.at(0, j) + w2 * data.X.at(1, j) + b);
  }
  return sz;
}

int correct_count(const nn::Dataset& data, double w1, double w2, double b) {
  // The demand of the proof, s·z > 0: a point on the line (z = 0) is not classified.
  return static_cast<int>(arma::accu(signed_z(data, w1, w2, b) > 0.0));
}

// The smallest distance from the line to a correctly classified point.
static double margin(const nn::Dataset& data, double w1, double w2, double b) {
  const arma::rowvec sz = signed_z(data, w1, w2, b);
  const arma::uvec correct = arma::find(sz > 0.0);
  const double norm = std::hypot(w1, w2);
  return norm == 0.0 || correct.is_empty() ? 0.0 : arma::rowvec(sz.cols(correct)).min() / norm;
}

GridResult grid_search(const nn::Dataset& data, double step) {
  const long n = std::lround(std::floor(20.0 / step + 1e-9));  // grid points − 1 per axis
  const auto value = [step](long i) { return -10.0 + static_cast<double>(i) * step; };
  GridResult result;
  double best_margin = -1.0;
  for (long i = 0; i <= n; ++i)
    for (long j = 0; j <= n; ++j)
      for (long k = 0; k <= n; ++k, ++result.lines_tried) {
        const double w1 = value(i), w2 = value(j), b = value(k);
        const int correct = correct_count(data, w1, w2, b);
        if (correct < result.best_correct) continue;
        // Among the lines with the most correct rows keep the one farthest from its points.
        const double m = margin(data, w1, w2, b);
        if (correct > result.best_correct || m > best_margin) {
          result = {correct, {w1, w2, b}, result.lines_tried};
          best_margin = m;
        }
      }
  return result;
}

// ---- Models trained by gradient descent -------------------------------------------------------

TwoLayerNet initialize(nn::NumpyRandom& rng, arma::uword n_x, arma::uword n_h, nn::Activation g1) {
  // Unit-scale weights: the two hidden units start different (no symmetry to break) and
  // far enough from 0 that σ is not nearly linear, as it would be at chapter 2's scale 0.01.
  TwoLayerNet net;
  net.W1 = rng.randn(n_h, n_x);
  net.b1 = arma::zeros(n_h, 1);
  net.W2 = rng.randn(1, n_h);
  net.b2 = arma::zeros(1, 1);
  net.g1 = g1;
  return net;
}

// [book:forward]
Cache forward(const TwoLayerNet& net, const arma::mat& X) {
  Cache c;
  // Z1 = W1 X + b1, A1 = g1(Z1): the hidden layer (g1 = σ, or the identity to see it fail)
  c.Z1 = net.W1 * X;
  c.Z1.each_col() += net.b1;
  c.A1 = nn::activate(net.g1, c.Z1);
  // Z2 = W2 A1 + b2, A2 = σ(Z2): one output neuron that reads the hidden layer, not x
  c.Z2 = net.W2 * c.A1;
  c.Z2.each_col() += net.b2;
  c.A2 = nn::sigmoid(c.Z2);
  return c;
}
// [/book:forward]

// [book:backward]
Gradients backward(const TwoLayerNet& net, const Cache& c, const arma::mat& X, const arma::mat& Y) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ2 = A2 − Y   (σ output with cross-entropy, as in chapter 1)
  const arma::mat dZ2 = c.A2 - Y;
  // dW2 = (1/m) dZ2 A1ᵀ, db2 = (1/m) Σ dZ2
  g.dW2 = dZ2 * c.A1.t() / m;
  g.db2 = arma::sum(dZ2, 1) / m;
  // dZ1 = W2ᵀ dZ2 ∘ g1'(Z1)
  const arma::mat dZ1 = (net.W2.t() * dZ2) % nn::activate_prime(net.g1, c.Z1);
  // dW1 = (1/m) dZ1 Xᵀ, db1 = (1/m) Σ dZ1
  g.dW1 = dZ1 * X.t() / m;
  g.db1 = arma::sum(dZ1, 1) / m;
  return g;
}
// [/book:backward]

// [book:update]
void update(TwoLayerNet& net, const Gradients& g, double learning_rate) {
  // θ ← θ − α dθ, for each of the four parameters
  net.W1 -= learning_rate * g.dW1;
  net.b1 -= learning_rate * g.db1;
  net.W2 -= learning_rate * g.dW2;
  net.b2 -= learning_rate * g.db2;
}
// [/book:update]

double cost(const TwoLayerNet& net, const arma::mat& X, const arma::mat& Y) {
  return nn::binary_cross_entropy(forward(net, X).Z2, Y);
}

// [book:train]
TrainResult train_per_sample(TwoLayerNet& net, const nn::Dataset& data, double learning_rate,
                             int max_epochs, double tolerance, nn::Progress& progress) {
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    // One step per sample: the gradient of that sample's cost alone (m = 1).
    for (arma::uword j = 0; j < data.X.n_cols; ++j) {
      const arma::mat x = data.X.col(j), y = data.Y.col(j);
      update(net, backward(net, forward(net, x), x, y), learning_rate);
    }
    // Done when every output is within `tolerance` of its label.
    const Cache c = forward(net, data.X);
    const double J = nn::binary_cross_entropy(c.Z2, data.Y);
    nn::check_cost(J, epoch);
    if (arma::abs(c.A2 - data.Y).max() < tolerance) return {epoch, true};
    if (epoch % 1000 == 0) progress.step("epoch", epoch, max_epochs, {{"cost", J}});
  }
  return {max_epochs, false};
}
// [/book:train]

nn::NeuronLayer collapse(const TwoLayerNet& net) {
  if (net.g1 != nn::Activation::identity)
    throw std::logic_error("collapse: only a network with identity hidden units is linear");
  // [book:collapse]
  // W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2): one neuron with w = W2 W1, b = W2 b1 + b2
  return nn::NeuronLayer{net.W2 * net.W1, net.W2 * net.b1 + net.b2};
  // [/book:collapse]
}

Region region(double lo, double hi, const std::function<arma::mat(const arma::mat&)>& model) {
  const arma::uword n = 201;
  Region r{lo, hi, nn::grid_points(lo, hi, lo, hi, n), {}};  // P: 2 × n², u fastest
  r.A = model(r.P);                                          // A: 1 × n²
  return r;
}

// ---- The run ----------------------------------------------------------------------------------

const std::vector<std::string>& gates() {
  static const std::vector<std::string> names{"AND", "OR", "NAND", "NOR", "XOR", "XNOR"};
  return names;
}

namespace {

// A model's outputs on the four rows, scored.
Outcome outcome(double cost, const arma::mat& A, const nn::Dataset& data) {
  return {cost, A, nn::binary_accuracy(A, data.Y)};
}

// Step 3b: one sigmoid neuron from random weights, trained by full-batch gradient descent.
Outcome one_neuron(const Options& o, std::uint32_t seed, const nn::Dataset& data) {
  nn::NumpyRandom rng(seed);
  nn::NeuronLayer neuron{rng.randn(1, 2), arma::zeros(1, 1)};
  const double J = nn::train_neuron(neuron, data.X, data.Y, o.learning_rate, o.epochs);
  return outcome(J, nn::neuron_output(neuron, data.X), data);
}

}  // namespace

// [book:run]
Results run(const Options& o, std::uint32_t seed, nn::Progress& progress) {
  const nn::Stopwatch clock;
  Results r;
  r.data = nn::make_truth_table("XOR");
  const arma::mat &X = r.data.X, &Y = r.data.Y;
  // 1, 2: every gate through the same exact checker: a line, or a certificate that none exists
  for (const std::string& gate : gates())
    r.proofs.push_back({demands(nn::make_truth_table(gate)), decide(gate)});
  r.xor_certificate_sum = certificate_sum(demands(r.data), *decide("XOR").certificate);
  // 3: the numbers agree: a dense grid of lines, and one neuron trained by gradient descent
  r.grid = grid_search(r.data, o.grid_step);
  r.single_neuron = one_neuron(o, seed, r.data);
  // 4: two layers, but linear: they collapse into one neuron
  nn::NumpyRandom rng(seed);
  TwoLayerNet linear = initialize(rng, 2, 2, nn::Activation::identity);
  r.linear_training =
      train_per_sample(linear, r.data, o.learning_rate, o.epochs, o.tolerance, progress);
  r.linear = outcome(cost(linear, X, Y), forward(linear, X).A2, r.data);
  r.collapsed = collapse(linear);
  // 5: two layers with a nonlinearity between them
  rng.seed(seed);  // the same draws as in step 4
  r.net = initialize(rng, 2, 2, nn::Activation::sigmoid);
  r.two_layer_training =
      train_per_sample(r.net, r.data, o.learning_rate, o.epochs, o.tolerance, progress);
  const Cache c = forward(r.net, X);
  r.two_layer = outcome(nn::binary_cross_entropy(c.Z2, Y), c.A2, r.data);
  r.hidden = c.A1;
  // What each model says over the plane: the best line's step, the network's output, and the
  // output neuron's view of the hidden layer
  const double w1 = r.grid.best_line[0], w2 = r.grid.best_line[1], b = r.grid.best_line[2];
  r.line_region = region(-0.5, 1.5, [&](const arma::mat& P) {
    return arma::conv_to<arma::mat>::from(w1 * P.row(0) + w2 * P.row(1) + b > 0.0);
  });
  r.network_region = region(-0.5, 1.5, [&](const arma::mat& P) { return forward(r.net, P).A2; });
  r.hidden_region = region(-0.1, 1.1, [&](const arma::mat& H) {
    return nn::sigmoid(arma::mat(r.net.W2 * H + r.net.b2(0, 0)));
  });
  r.seconds = clock.seconds();
  return r;
}
// [/book:run]

}  // namespace ch03
