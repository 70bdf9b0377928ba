// Chapter 03: XOR. A single neuron z = w1·x1 + w2·x2 + b cannot compute it, and the program
// checks the proof in exact integer arithmetic; a hidden layer of two sigmoid units can.
#pragma once
#include <armadillo>
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/nn/activations.hpp"
#include "common/nn/neuron.hpp"
#include "common/nn/numpy_random.hpp"
#include "common/nn/progress.hpp"
#include "datasets/synthetic.hpp"

namespace ch03 {

// ---- The proof, in integers ------------------------------------------------------------------

// What one row of a truth table demands of the neuron, as a strict inequality on (w1, w2, b):
//   s·(x1·w1 + x2·w2 + 1·b) > 0,   s = +1 for label 1 (z > 0), s = −1 for label 0 (z < 0).
struct Demand {
  std::array<long, 3> x;  // (x1, x2, 1): the coefficients of w1, w2 and b
  int s;                  // +1 or −1
};

// A line (w1, w2, b): the neuron says 1 where w1·x1 + w2·x2 + b > 0.
using Line = std::array<long, 3>;
// Non-negative multipliers μ_i, one per row, not all zero.
using Certificate = std::vector<long>;

// One demand per column of the truth table; throws std::logic_error unless X holds integers
// and Y holds 0/1.
std::vector<Demand> demands(const nn::Dataset& gate);

// Gordan's certificate of infeasibility: μ ≥ 0, μ ≠ 0 and Σ μ_i s_i x_i = 0 (exactly).
// Then Σ μ_i s_i (x_i · w) = 0 for every w, but every demand makes its term ≥ 0 and one > 0.
bool is_certificate(const std::vector<Demand>& rows, const Certificate& mu);
// Every demand holds strictly: s_i (x_i · w) > 0 for all rows.
bool separates(const std::vector<Demand>& rows, const Line& w);

// The certificate with the smallest Σμ among μ_i ∈ {0, …, max_multiplier}, if there is one.
std::optional<Certificate> find_certificate(const std::vector<Demand>& rows,
                                            long max_multiplier = 3);
// The line with the smallest |w1| + |w2| + |b| among integers in [−bound, bound], if any.
std::optional<Line> find_line(const std::vector<Demand>& rows, long bound = 3);

// The verdict on one gate: exactly one of `line` and `certificate` is set.
struct Verdict {
  std::string gate;
  std::optional<Line> line;
  std::optional<Certificate> certificate;
  bool separable() const { return line.has_value(); }
};
// Searches both ways; throws std::logic_error if both or neither are found.
Verdict decide(const std::string& gate);

// Σ over the label-1 rows of μ_i x_i: what the weighted label-1 demands add up to, and the
// weighted label-0 demands too (report.cpp writes the certificate as a sentence with it).
std::array<long, 3> certificate_sum(const std::vector<Demand>& rows, const Certificate& mu);

// ---- The numbers agree ------------------------------------------------------------------------

// How many rows the line classifies correctly: s·z > 0, as the proof demands (z = 0 is wrong).
int correct_count(const nn::Dataset& data, double w1, double w2, double b);

struct GridResult {
  int best_correct = 0;
  std::array<double, 3> best_line{};  // the line with the widest margin among the best
  long lines_tried = 0;
};
// Every (w1, w2, b) on the grid {−10, −10 + step, …, 10}³.
GridResult grid_search(const nn::Dataset& data, double step);

// ---- Models trained by gradient descent -------------------------------------------------------

// The 2-2-1 network: A1 = g1(W1 X + b1), A2 = σ(W2 A1 + b2).
struct TwoLayerNet {
  arma::mat W1;  // W1: n_h × n_x
  arma::mat b1;  // b1: n_h × 1
  arma::mat W2;  // W2: 1 × n_h
  arma::mat b2;  // b2: 1 × 1
  nn::Activation g1 = nn::Activation::sigmoid;
};

struct Cache {
  arma::mat Z1, A1;  // n_h × m
  arma::mat Z2, A2;  // 1 × m
};

struct Gradients {
  arma::mat dW1, db1, dW2, db2;  // the shapes of W1, b1, W2, b2
};

// W1, W2 ~ randn (standard normal, numpy's order), b1 = b2 = 0.
TwoLayerNet initialize(nn::NumpyRandom& rng, arma::uword n_x, arma::uword n_h, nn::Activation g1);
Cache forward(const TwoLayerNet& net, const arma::mat& X);  // X: n_x × m
// ∂J/∂(W1, b1, W2, b2) of J = cross-entropy(Z2, Y) averaged over the m columns of X.
Gradients backward(const TwoLayerNet& net, const Cache& cache, const arma::mat& X,
                   const arma::mat& Y);
// One step of gradient descent: W1 −= α dW1, and so on.
void update(TwoLayerNet& net, const Gradients& grads, double learning_rate);
double cost(const TwoLayerNet& net, const arma::mat& X, const arma::mat& Y);

struct TrainResult {
  int epochs = 0;        // epochs run
  bool reached = false;  // every |a − y| < tolerance at the end
};
// One sample per step, in the table's order; stops after the first epoch at whose end every
// |a − y| < tolerance, or after max_epochs. One progress step every 1000 epochs.
TrainResult train_per_sample(TwoLayerNet& net, const nn::Dataset& data, double learning_rate,
                             int max_epochs, double tolerance, nn::Progress& progress);

// A network with identity hidden units is one neuron: W2(W1 x + b1) + b2 = (W2 W1) x + W2 b1 + b2.
nn::NeuronLayer collapse(const TwoLayerNet& net);

// A model's output a over the square [lo, hi]², the background of a figure.
struct Region {
  double lo = 0.0, hi = 0.0;
  arma::mat P;  // P: 2 × n², the points, first coordinate fastest
  arma::mat A;  // A: 1 × n², the model's output at each
};
Region region(double lo, double hi, const std::function<arma::mat(const arma::mat&)>& model);

// ---- The run ----------------------------------------------------------------------------------

// --seed when none is given.
inline constexpr std::uint32_t kDefaultSeed = 3;

struct Options {
  double learning_rate = 0.1;
  int epochs = 10000;
  double tolerance = 0.01;
  double grid_step = 0.1;
};

// The gates of steps 1 and 2, in the order the book lists them.
const std::vector<std::string>& gates();

// One gate through the exact checker: its four demands and the verdict on them.
struct GateProof {
  std::vector<Demand> rows;
  Verdict verdict;
};

// A model's answers on the four XOR rows.
struct Outcome {
  double cost = 0.0;      // J on the four rows
  arma::mat A;            // A: 1 × 4, the outputs a
  double accuracy = 0.0;  // percent
};

// What the five steps found.
struct Results {
  nn::Dataset data;               // the XOR table: X 2 × 4, Y 1 × 4
  std::vector<GateProof> proofs;  // 1, 2: every gate of gates(), proved exactly
  std::array<long, 3> xor_certificate_sum{};
  GridResult grid;              // 3: the best line of a dense grid
  Outcome single_neuron;        // 3: one neuron trained by gradient descent
  TrainResult linear_training;  // 4: 2-2-1 with identity hidden units
  Outcome linear;
  nn::NeuronLayer collapsed;       // 4: the one neuron that network is
  TrainResult two_layer_training;  // 5: 2-2-1 with sigmoid hidden units
  Outcome two_layer;
  TwoLayerNet net;                                    // 5: that network, trained
  arma::mat hidden;                                   // 5: A1 of the four rows, 2 × 4
  Region line_region, network_region, hidden_region;  // the figures' backgrounds
  double seconds = 0.0;
};

// The whole lesson: the proof, the numbers that agree with it, and two layers that do it.
Results run(const Options& options, std::uint32_t seed, nn::Progress& progress);

}  // namespace ch03
