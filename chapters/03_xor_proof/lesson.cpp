#include "lesson.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "common/errors.hpp"
#include "common/grid.hpp"
#include "common/losses.hpp"
#include "common/metrics.hpp"
#include "common/plot.hpp"
#include "common/progress.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"

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
bool is_certificate(const std::vector<Demand>& rows, const Certificate& lambda) {
  if (lambda.size() != rows.size()) return false;
  bool some_positive = false;
  std::array<long, 3> sum{0, 0, 0};  // Σ λ_i s_i x_i, coefficient by coefficient
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (lambda[i] < 0) return false;
    some_positive = some_positive || lambda[i] > 0;
    for (std::size_t k = 0; k < 3; ++k) sum[k] += lambda[i] * rows[i].s * rows[i].x[k];
  }
  // Σ λ_i s_i (x_i · w) is then 0 for every w, yet the demands make it > 0: no w exists.
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
  // Count through every λ ∈ {0, …, max}^m like an odometer, first row fastest.
  Certificate lambda(rows.size(), 0);
  while (true) {
    if (is_certificate(rows, lambda) && (!best || total(lambda) < total(*best))) best = lambda;
    std::size_t i = 0;
    while (i < lambda.size() && lambda[i] == max_multiplier) lambda[i++] = 0;
    if (i == lambda.size()) return best;
    ++lambda[i];
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

std::string linear_text(const std::array<long, 3>& c) {
  // c1·w1 + c2·w2 + c3·b with the zero terms left out and the ones written without a 1
  static const std::array<const char*, 3> names{"w1", "w2", "b"};
  std::string text;
  for (std::size_t k = 0; k < 3; ++k) {
    if (c[k] == 0) continue;
    const long size = std::abs(c[k]);
    if (!text.empty()) text += c[k] > 0 ? " + " : " - ";
    if (text.empty() && c[k] < 0) text += "-";
    text += (size == 1 ? "" : std::to_string(size)) + names[k];
  }
  return text.empty() ? "0" : text;
}

std::array<long, 3> certificate_sum(const std::vector<Demand>& rows, const Certificate& lambda) {
  // Its b coefficient is Σ λ_i over the label-1 rows, which the certificate makes equal to the
  // same sum over the label-0 rows: both groups carry weight, so both halves of the sentence
  // are strict, and the proof would survive a threshold that puts z = 0 on either side.
  std::array<long, 3> sum{0, 0, 0};
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i].s > 0)
      for (std::size_t k = 0; k < 3; ++k) sum[k] += lambda[i] * rows[i].x[k];
  return sum;
}

std::string certificate_sentence(const std::vector<Demand>& rows, const Certificate& lambda) {
  // The label-1 demands (z > 0) and the label-0 ones (z < 0), each weighted by λ_i and added.
  const auto added = [&](int s) {
    std::string text;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].s != s || lambda[i] == 0) continue;
      text += text.empty() ? "" : " + ";
      text += lambda[i] == 1 ? "" : std::to_string(lambda[i]) + "·";
      text += "(" + linear_text(rows[i].x) + (s > 0 ? " > 0)" : " < 0)");
    }
    return text;
  };
  // Σ λ_i s_i x_i = 0 says both groups add up to the same expression.
  const std::string sum = linear_text(certificate_sum(rows, lambda));
  return added(+1) + " gives " + sum + " > 0, but " + added(-1) + " gives " + sum + " < 0";
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
  c.Z1 = net.W1 * X + arma::repmat(net.b1, 1, X.n_cols);
  c.A1 = nn::activate(net.g1, c.Z1);
  // Z2 = W2 A1 + b2, A2 = σ(Z2): one output neuron that reads the hidden layer, not x
  c.Z2 = net.W2 * c.A1 + arma::repmat(net.b2, 1, X.n_cols);
  c.A2 = nn::sigmoid(c.Z2);
  return c;
}
// [/book:forward]

// [book:backward]
Gradients backward(const TwoLayerNet& net, const arma::mat& X, const arma::mat& Y, const Cache& c) {
  const double m = static_cast<double>(X.n_cols);
  Gradients g;
  // dZ2 = (A2 − Y)/m   (σ output with cross-entropy)
  const arma::mat dZ2 = (c.A2 - Y) / m;
  // dW2 = dZ2 A1ᵀ, db2 = Σ dZ2
  g.dW2 = dZ2 * c.A1.t();
  g.db2 = arma::sum(dZ2, 1);
  // dZ1 = W2ᵀ dZ2 ∘ g1'(Z1)
  const arma::mat dZ1 = (net.W2.t() * dZ2) % nn::activate_prime(net.g1, c.Z1);
  // dW1 = dZ1 Xᵀ, db1 = Σ dZ1
  g.dW1 = dZ1 * X.t();
  g.db1 = arma::sum(dZ1, 1);
  return g;
}
// [/book:backward]

double cost(const TwoLayerNet& net, const arma::mat& X, const arma::mat& Y) {
  return nn::binary_cross_entropy(forward(net, X).Z2, Y);
}

// [book:train]
TrainResult train_per_sample(TwoLayerNet& net, const nn::Dataset& data, double learning_rate,
                             int max_epochs, double tolerance) {
  nn::Progress progress;
  for (int epoch = 1; epoch <= max_epochs; ++epoch) {
    // One step per sample: the gradient of that sample's cost alone (m = 1).
    for (arma::uword j = 0; j < data.X.n_cols; ++j) {
      const arma::mat x = data.X.col(j), y = data.Y.col(j);
      const Gradients g = backward(net, x, y, forward(net, x));
      net.W1 -= learning_rate * g.dW1;
      net.b1 -= learning_rate * g.db1;
      net.W2 -= learning_rate * g.dW2;
      net.b2 -= learning_rate * g.db2;
    }
    // Done when every output is within `tolerance` of its label.
    const Cache c = forward(net, data.X);
    const double J = nn::binary_cross_entropy(c.Z2, data.Y);
    nn::check_finite(J, epoch);
    if (arma::abs(c.A2 - data.Y).max() < tolerance) return {epoch, true};
    if (epoch % 1000 == 0) {
      char line[80];
      std::snprintf(line, sizeof line, "    epoch %5d  cost %.6f", epoch, J);
      progress.update(line);
    }
  }
  return {max_epochs, false};
}
// [/book:train]

Neuron collapse(const TwoLayerNet& net) {
  if (net.g1 != nn::Activation::identity)
    throw std::logic_error("collapse: only a network with identity hidden units is linear");
  // [book:collapse]
  // W2 (W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2): one neuron with w = W2 W1, b = W2 b1 + b2
  return Neuron{net.W2 * net.W1, net.W2 * net.b1 + net.b2};
  // [/book:collapse]
}

// ---- Figures ----------------------------------------------------------------------------------

namespace {

// The points as the figure shows them: position (u, v), label y, and the input (x1, x2) they
// came from, so a plot in the hidden layer's coordinates can still name them.
void points_csv(const nn::Figures& fig, const std::string& file, const arma::mat& P,
                const nn::Dataset& data) {
  fig.csv(file, {"u", "v", "y", "x1", "x2"},
          {P.row(0).t(), P.row(1).t(), data.Y.row(0).t(), data.X.row(0).t(), data.X.row(1).t()});
}

// w1·u + w2·v + b = 0 as two far-apart points: the foot of the perpendicular from the origin,
// ± 100 along the line's direction (the plot's range clips it).
void line_csv(const nn::Figures& fig, const std::string& file, double w1, double w2, double b) {
  const double norm2 = w1 * w1 + w2 * w2, norm = std::sqrt(norm2);
  const arma::vec foot{-b * w1 / norm2, -b * w2 / norm2}, along{-w2 / norm, w1 / norm};
  const arma::vec p = foot - 100.0 * along, q = foot + 100.0 * along;
  fig.csv(file, {"u", "v"}, {arma::vec{p(0), q(0)}, arma::vec{p(1), q(1)}});
}

// A model's output a over the square [lo, hi]², one row per pixel, for `with image`.
void region_csv(const nn::Figures& fig, const std::string& file, double lo, double hi,
                const std::function<arma::mat(const arma::mat&)>& model) {
  const arma::uword n = 201;
  const arma::mat P = nn::grid_points(lo, hi, lo, hi, n);  // P: 2 × n², u fastest
  const arma::mat A = model(P);                            // A: 1 × n²
  fig.csv(file, {"u", "v", "a"}, {P.row(0).t(), P.row(1).t(), A.row(0).t()});
}

struct RegionPlot {
  std::string name, title, xlabel, ylabel, cblabel, line_title;
  double lo, hi;
  std::string key = "bottom right";  // where the legend covers no point
};

// Background: the model's output (blue 0, white ½, red 1); the line; the four points.
void draw_region(const nn::Figures& fig, const RegionPlot& p) {
  std::ostringstream s;
  s << "set title \"" << p.title << "\"\nset xlabel \"" << p.xlabel << "\"\nset ylabel \""
    << p.ylabel << "\"\nset cblabel \"" << p.cblabel << "\"\n"
    << "set xrange [" << p.lo << ":" << p.hi << "]\nset yrange [" << p.lo << ":" << p.hi
    << "]\nset size ratio -1\nset cbrange [0:1]\n"
    << "set palette defined (0 '#6baed6', 0.5 '#ffffff', 1 '#fb6a4a')\n"
    << "set key box opaque " << p.key
    << "\nset grid front\nset clip two\n"
    // labels above their points; (0,1) shifted left and (1,0) right, in case they coincide
    << "dx = " << 0.07 * (p.hi - p.lo) << "\ndy = " << 0.06 * (p.hi - p.lo) << "\n"
    << "plot '" << p.name << "_region.csv' every ::1 using 1:2:3 with image notitle, \\\n";
  if (!p.line_title.empty())  // the network's boundary is curved: the background shows it
    s << "  '" << p.name << "_line.csv' every ::1 using 1:2 with lines lw 3 lc rgb 'black'"
      << " title \"" << p.line_title << "\", \\\n";
  s << "  '" << p.name << "_points.csv' every ::1 using 1:($3 == 0 ? $2 : 1/0) with points"
    << " pt 7 ps 3 lc rgb '#08519c' title 'label 0', \\\n"
    << "  '" << p.name << "_points.csv' every ::1 using 1:($3 == 1 ? $2 : 1/0) with points"
    << " pt 9 ps 3 lc rgb '#a50f15' title 'label 1', \\\n"
    << "  '" << p.name << "_points.csv' every ::1 "
    << " using ($1 + dx * ($4 - $5)):($2 + dy):(sprintf('(%d,%d)', $4, $5))"
    << " with labels font ',12' notitle\n";
  fig.draw(p.name, s.str(), 700, 620);
}

// The three figures: the best line of one neuron, the trained network's regions, and what the
// output neuron sees, the points at (a1_1, a1_2).
void write_figures(const nn::Figures& fig, const nn::Dataset& data, const GridResult& grid,
                   const TwoLayerNet& net) {
  const auto [w1, w2, b] = grid.best_line;
  const auto step_of_line = [&](const arma::mat& P) {
    return arma::conv_to<arma::mat>::from(w1 * P.row(0) + w2 * P.row(1) + b > 0.0);
  };
  points_csv(fig, "single_neuron_line_points.csv", data.X, data);
  line_csv(fig, "single_neuron_line_line.csv", w1, w2, b);
  region_csv(fig, "single_neuron_line_region.csv", -0.5, 1.5, step_of_line);
  draw_region(fig, {"single_neuron_line", "One neuron: the best line gets 3 of 4 XOR points", "x_1",
                    "x_2", "neuron says 1 (red) or 0 (blue)", "best line on the grid", -0.5, 1.5});

  const auto network = [&](const arma::mat& P) { return forward(net, P).A2; };
  points_csv(fig, "decision_regions_points.csv", data.X, data);
  region_csv(fig, "decision_regions_region.csv", -0.5, 1.5, network);
  draw_region(fig, {"decision_regions", "The trained 2-2-1 network: output a over the plane", "x_1",
                    "x_2", "a = σ(z_2)", "", -0.5, 1.5});

  const arma::mat A1 = forward(net, data.X).A1;  // A1: 2 × 4
  const auto output_neuron = [&](const arma::mat& H) {
    return nn::sigmoid(arma::mat(net.W2 * H + net.b2(0, 0)));
  };
  points_csv(fig, "hidden_view_points.csv", A1, data);
  line_csv(fig, "hidden_view_line.csv", net.W2(0, 0), net.W2(0, 1), net.b2(0, 0));
  region_csv(fig, "hidden_view_region.csv", -0.1, 1.1, output_neuron);
  draw_region(fig, {"hidden_view", "What the output neuron sees: the points at (a1_1, a1_2)",
                    "hidden unit 1: a1_1", "hidden unit 2: a1_2", "a = σ(W2 a1 + b2)",
                    "output neuron: W2 a1 + b2 = 0", -0.1, 1.1, "top right"});
}

}  // namespace

// ---- The run ----------------------------------------------------------------------------------

namespace {

const std::vector<std::string> kGates{"AND", "OR", "NAND", "NOR", "XOR", "XNOR"};

nn::Json vector_json(const arma::mat& A) {
  return nn::Json(arma::conv_to<std::vector<double>>::from(arma::vectorise(A)));
}

std::string outputs_text(const arma::mat& A) {
  std::ostringstream s;
  s.precision(4);
  s << std::fixed;
  for (arma::uword j = 0; j < A.n_elem; ++j) s << (j ? ", " : "") << A(j);
  return s.str();
}

// Steps 1 and 2: every gate through the same exact checker.
nn::Json prove(nn::Json& results) {
  std::cout << "1. The proof, checked exactly: each row demands s·(w1·x1 + w2·x2 + b) > 0\n";
  nn::Json gates = nn::Json::object();
  for (const std::string& gate : kGates) {
    const Verdict v = decide(gate);
    const std::vector<Demand> rows = demands(nn::make_truth_table(gate));
    if (v.separable()) {
      const auto [w1, w2, b] = *v.line;
      std::printf("   %-5s separable:   w1 = %ld, w2 = %ld, b = %ld classifies all four rows\n",
                  gate.c_str(), w1, w2, b);
      gates[gate] = {{"separable", true}, {"w1", w1}, {"w2", w2}, {"b", b}};
    } else {
      const Certificate& l = *v.certificate;
      std::printf(
          "   %-5s inseparable: multipliers (%ld, %ld, %ld, %ld) for the rows"
          " (0,0) (0,1) (1,0) (1,1)\n         %s\n",
          gate.c_str(), l[0], l[1], l[2], l[3], certificate_sentence(rows, l).c_str());
      gates[gate] = {{"separable", false}, {"certificate", l}};
    }
  }
  const Verdict xor_verdict = decide("XOR");
  const std::vector<Demand> rows = demands(nn::make_truth_table("XOR"));
  results["xor_separable"] = xor_verdict.separable();
  results["certificate"] = *xor_verdict.certificate;
  results["certificate_sum"] = certificate_sum(rows, *xor_verdict.certificate);
  return gates;
}

// Step 3: a dense grid of lines, and one neuron trained by gradient descent.
GridResult numbers_agree(const Options& o, const nn::CommonOptions& common, const nn::Dataset& data,
                         nn::Json& results) {
  const GridResult grid = grid_search(data, o.grid_step);
  std::printf(
      "\n3. A grid of %ld lines (w1, w2, b) in [-10, 10]^3, step %g: the best gets %d "
      "of 4 XOR points (w1 = %g, w2 = %g, b = %g)\n",
      grid.lines_tried, o.grid_step, grid.best_correct, grid.best_line[0], grid.best_line[1],
      grid.best_line[2]);
  nn::NumpyRandom rng(common.seed);
  Neuron neuron{rng.randn(1, 2), arma::zeros(1, 1)};
  const double J = nn::train_neuron(neuron, data.X, data.Y, o.learning_rate, o.epochs);
  const arma::mat A = nn::neuron_output(neuron, data.X);
  std::printf(
      "   one sigmoid neuron, %d epochs of gradient descent: cost %.10f (ln 2 = %.10f),"
      "\n   outputs %s\n",
      o.epochs, J, std::log(2.0), outputs_text(A).c_str());
  results["grid_lines"] = grid.lines_tried;
  results["grid_best_correct"] = grid.best_correct;
  results["grid_best_line"] = grid.best_line;
  results["single_neuron_final_cost"] = J;
  results["single_neuron_outputs"] = vector_json(A);
  return grid;
}

// Step 4: two layers, but linear: they collapse into one neuron.
void linear_layers(const Options& o, const nn::CommonOptions& common, const nn::Dataset& data,
                   nn::Json& results) {
  std::printf("\n4. A 2-2-1 network with identity hidden units, lr %g, one sample per step:\n",
              o.learning_rate);
  nn::NumpyRandom rng(common.seed);
  TwoLayerNet net = initialize(rng, 2, 2, nn::Activation::identity);
  const TrainResult run = train_per_sample(net, data, o.learning_rate, o.epochs, o.tolerance);
  const arma::mat A2 = forward(net, data.X).A2;
  const double J = cost(net, data.X, data.Y), accuracy = nn::binary_accuracy(A2, data.Y);
  const Neuron one = collapse(net);
  std::printf(
      "   after %d epochs: cost %.6f, outputs %s, accuracy %.0f %%\n"
      "   it is the single neuron w = W2 W1 = (%.3g, %.3g), b = W2 b1 + b2 = %.3g\n",
      run.epochs, J, outputs_text(A2).c_str(), accuracy, one.w(0), one.w(1), one.b(0));
  results["linear_hidden_epochs"] = run.epochs;
  results["linear_hidden_cost"] = J;
  results["linear_hidden_outputs"] = vector_json(A2);
  results["linear_hidden_accuracy"] = accuracy;
}

// Step 5: two layers with a nonlinearity between them.
TwoLayerNet two_layers(const Options& o, const nn::CommonOptions& common, const nn::Dataset& data,
                       nn::Json& results) {
  std::printf(
      "\n5. A 2-2-1 network with sigmoid hidden units, lr %g, one sample per step, until"
      " every |a - y| < %g:\n",
      o.learning_rate, o.tolerance);
  nn::NumpyRandom rng(common.seed);
  TwoLayerNet net = initialize(rng, 2, 2, nn::Activation::sigmoid);
  const TrainResult run = train_per_sample(net, data, o.learning_rate, o.epochs, o.tolerance);
  const Cache c = forward(net, data.X);
  const double accuracy = nn::binary_accuracy(c.A2, data.Y);
  std::printf(
      "   %s after %d epochs: outputs %s, accuracy %.0f %%\n"
      "   hidden layer: (0,0) (0,1) (1,0) (1,1) become\n   a1_1 = %s\n   a1_2 = %s\n",
      run.reached ? "done" : "NOT done", run.epochs, outputs_text(c.A2).c_str(), accuracy,
      outputs_text(c.A1.row(0)).c_str(), outputs_text(c.A1.row(1)).c_str());
  results["two_layer_reached"] = run.reached;
  results["two_layer_epochs"] = run.epochs;
  results["two_layer_cost"] = nn::binary_cross_entropy(c.Z2, data.Y);
  results["two_layer_outputs"] = vector_json(c.A2);
  results["two_layer_hidden"] = {vector_json(c.A1.row(0)), vector_json(c.A1.row(1))};
  results["two_layer_accuracy"] = accuracy;
  results["headline"] = std::string("XOR inseparable; 2-2-1 net ") +
                        (run.reached ? "learns it" : "does NOT learn it") + " in " +
                        std::to_string(run.epochs) + " epochs";
  return net;
}

}  // namespace

// [book:run]
void run(const Options& o, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  if (o.grid_step < 0.05 || o.grid_step > 20.0)
    throw nn::UsageError("--grid-step: must be between 0.05 and 20, got " +
                         std::to_string(o.grid_step));
  if (o.tolerance > 0.5)
    throw nn::UsageError("--tolerance: above 0.5 a wrong answer would count as learned");
  const nn::Dataset data = nn::make_truth_table("XOR");
  nn::Json results;
  results["gates"] = prove(results);                                // 1, 2: the proof, exactly
  const GridResult grid = numbers_agree(o, common, data, results);  // 3: grid and one neuron
  linear_layers(o, common, data, results);                          // 4: linear layers collapse
  const TwoLayerNet net = two_layers(o, common, data, results);     // 5: two layers do it
  write_figures(nn::Figures(common.out_dir, common.plots), data, grid, net);
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
  std::printf("\nresults and figures in %s\n", common.out_dir.string().c_str());
}
// [/book:run]

}  // namespace ch03
