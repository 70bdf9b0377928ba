#include "lesson.hpp"

#include <fmt/format.h>
#include <cmath>
#include <cstdio>
#include <string>

#include "common/activations.hpp"
#include "common/errors.hpp"
#include "common/grid.hpp"
#include "common/initializers.hpp"
#include "common/losses.hpp"
#include "common/metrics.hpp"
#include "common/numpy_random.hpp"
#include "common/plot.hpp"
#include "common/results.hpp"
#include "common/stopwatch.hpp"

namespace ch02 {

Seeds seeds_from(std::uint32_t seed) {
  return {seed, seed + 1};
}

// [book:init]
Parameters initialize_parameters(arma::uword n_x, arma::uword n_h, arma::uword n_y,
                                 std::uint32_t seed) {
  nn::NumpyRandom rng(seed);
  Parameters p;
  // Small random weights: different units start different (no symmetry), and tanh, σ start
  // in their steep middle, where the gradient is largest.
  p.W1 = nn::scaled_normal(rng, n_h, n_x, 0.01);
  p.b1 = arma::zeros(n_h, 1);
  p.W2 = nn::scaled_normal(rng, n_y, n_h, 0.01);
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
  // A1 = tanh(Z1)
  c.A1 = arma::tanh(c.Z1);
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
  // dZ1 = W2ᵀ dZ2 ∘ (1 − A1²)   (tanh′(Z1) = 1 − tanh²(Z1) = 1 − A1²; n_h × m)
  const arma::mat dZ1 = (p.W2.t() * dZ2) % (1.0 - arma::square(c.A1));
  // dW1 = (1/m) dZ1 Xᵀ
  g.dW1 = (1.0 / m) * (dZ1 * X.t());
  // db1 = (1/m) Σ dZ1
  g.db1 = (1.0 / m) * arma::sum(dZ1, 1);
  return g;
}
// [/book:backward]

// [book:update]
void update_parameters(Parameters& p, const Gradients& g, double learning_rate) {
  // θ ← θ − α dθ, for each of the four parameters
  p.W1 -= learning_rate * g.dW1;
  p.b1 -= learning_rate * g.db1;
  p.W2 -= learning_rate * g.dW2;
  p.b2 -= learning_rate * g.db2;
}
// [/book:update]

// [book:train]
Training train(const nn::Dataset& data, Parameters initial, double learning_rate, int iterations) {
  Training t{std::move(initial), {}};
  t.costs.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const Cache cache = forward(t.parameters, data.X);
    // the cost is recorded before the step, as the lesson prints it
    const double J = compute_cost(cache, data.Y);
    nn::check_finite(J, i);
    t.costs.push_back(J);
    update_parameters(t.parameters, backward(t.parameters, cache, data.X, data.Y), learning_rate);
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
                                           std::uint32_t init_seed) {
  std::vector<StudyResult> study;
  for (const int n_h : sizes) {
    // every network starts from the same seed (the lesson re-seeds for each size)
    const Parameters initial = initialize_parameters(data.X.n_rows, n_h, 1, init_seed);
    Training t = train(data, initial, learning_rate, iterations);
    const double accuracy = nn::binary_accuracy(predict_proba(t.parameters, data.X), data.Y);
    study.push_back({n_h, accuracy, std::move(t.parameters)});
  }
  return study;
}
// [/book:study]

arma::mat grid_over(const arma::mat& X, arma::uword n) {
  // a margin of 1 around the data; x1 varies fastest (2 × n²)
  return nn::grid_points(X.row(0).min() - 1.0, X.row(0).max() + 1.0, X.row(1).min() - 1.0,
                         X.row(1).max() + 1.0, n);
}

namespace {

constexpr arma::uword kGrid = 200;       // the two boundary figures: 200 × 200 points
constexpr arma::uword kStudyGrid = 100;  // each small multiple of the study: 100 × 100

// A learning rate as written on the command line: 1.2, 0.005.
std::string shortest(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

// The background of a boundary map is the model's A2 on a grid: reddish where it predicts
// y = 0, bluish where it predicts y = 1, paler towards the boundary A2 = 0.5.
const std::string kMapStyle =
    "set palette defined (0 '#e8a09a', 0.5 '#fbe9e7', 0.5 '#e3edf7', 1 '#9ec3e6')\n"
    "set cbrange [0:1]\nunset colorbox\nset size ratio -1\nset autoscale fix\n"
    "set xlabel 'x_1'\nset ylabel 'x_2'\n";

// One map: column `column` of `grid_csv` as the background, the flower's points on top.
std::string map_plot(const std::string& grid_csv, int column) {
  return "plot '" + grid_csv + "' every ::1 using 1:2:" + std::to_string(column) +
         " with image notitle, \\\n"
         "  'flower.csv' every ::1 using 1:($3 == 0 ? $2 : NaN) with points pt 7 ps 0.45 "
         "lc rgb '#b03a2e' title 'y = 0', \\\n"
         "  'flower.csv' every ::1 using 1:($3 == 1 ? $2 : NaN) with points pt 7 ps 0.45 "
         "lc rgb '#1f5fa8' title 'y = 1'\n";
}

// The data alone: the question before any model answers it.
void draw_flower(const nn::Figures& fig, const nn::Dataset& data) {
  fig.csv("flower.csv", {"x1", "x2", "y"},
          {data.X.row(0).t(), data.X.row(1).t(), data.Y.row(0).t()});
  fig.draw("flower",
           "set title 'The planar flower: " + std::to_string(data.X.n_cols) +
               " points, two classes'\nset size ratio -1\nset xlabel 'x_1'\nset ylabel 'x_2'\n"
               "set key below\n"
               "plot 'flower.csv' every ::1 using 1:($3 == 0 ? $2 : NaN) with points pt 7 "
               "ps 0.6 lc rgb '#b03a2e' title 'y = 0', \\\n"
               "  'flower.csv' every ::1 using 1:($3 == 1 ? $2 : NaN) with points pt 7 ps 0.6 "
               "lc rgb '#1f5fa8' title 'y = 1'\n",
           620, 660);
}

void draw_boundaries(const nn::Figures& fig, const nn::Dataset& data, const Parameters& p,
                     double accuracy, const Neuron& neuron, double neuron_accuracy) {
  // A2 of both models at every grid point: the background of each map
  const arma::mat G = grid_over(data.X, kGrid);  // 2 × 200²
  fig.csv("boundary.csv", {"x1", "x2", "network", "neuron"},
          {G.row(0).t(), G.row(1).t(), predict_proba(p, G).t(), nn::neuron_output(neuron, G).t()});
  const std::string n_h = std::to_string(p.W1.n_rows);
  fig.draw("boundary",
           kMapStyle + "set key below\nset title 'Hidden layer of " + n_h +
               " tanh units: accuracy " + fmt::format("{:.2f}", accuracy) + " %'\n" +
               map_plot("boundary.csv", 3),
           620, 660);
  fig.draw("logistic_boundary",
           kMapStyle + "set key below\nset title 'One sigmoid neuron: accuracy " +
               fmt::format("{:.2f}", neuron_accuracy) + " %'\n" + map_plot("boundary.csv", 4),
           620, 660);
}

void draw_study(const nn::Figures& fig, const nn::Dataset& data,
                const std::vector<StudyResult>& study, int iterations, const Neuron& neuron,
                double neuron_accuracy) {
  const arma::mat G = grid_over(data.X, kStudyGrid);  // 2 × 100²
  std::vector<std::string> header{"x1", "x2"};
  std::vector<arma::vec> columns{G.row(0).t(), G.row(1).t()};
  std::string panels;
  // one column of A2 per network, and one panel per column
  for (const StudyResult& s : study) {
    header.push_back("n_h=" + std::to_string(s.hidden_units));
    columns.push_back(predict_proba(s.parameters, G).t());
    panels += "set title 'n_h = " + std::to_string(s.hidden_units) + ": " +
              fmt::format("{:.2f}", s.accuracy) + " %'\n" +
              map_plot("hidden_sizes.csv", static_cast<int>(columns.size()));
  }
  // the last panel: no hidden layer at all
  header.push_back("neuron");
  columns.push_back(nn::neuron_output(neuron, G).t());
  panels += "set title 'one neuron: " + fmt::format("{:.2f}", neuron_accuracy) + " %'\n" +
            map_plot("hidden_sizes.csv", static_cast<int>(columns.size()));
  fig.csv("hidden_sizes.csv", header, columns);
  // four panels to a row
  const int n_panels = static_cast<int>(study.size()) + 1;
  const int cols = n_panels > 4 ? 4 : n_panels;
  const int rows = (n_panels + cols - 1) / cols;
  fig.draw("hidden_sizes",
           kMapStyle +
               "unset key\nunset xlabel\nunset ylabel\nset format x ''\n"
               "set format y ''\nset multiplot layout " +
               std::to_string(rows) + "," + std::to_string(cols) +
               " title 'Decision boundary by hidden-layer size (" + std::to_string(iterations) +
               " iterations each; red: y = 0, blue: y = 1)'\n" + panels + "unset multiplot\n",
           300 * cols, 300 * rows + 40);
}

void draw_cost(const nn::Figures& fig, const std::vector<double>& costs, double learning_rate) {
  // every iteration's J, recorded before its step
  const arma::vec J(costs);
  fig.csv("cost.csv", {"iteration", "cost"}, {arma::regspace(0, J.n_elem - 1), J});
  fig.draw("cost", "set title 'Cost J during training (learning rate " + shortest(learning_rate) +
                       ")'\nset xlabel 'iteration'\n"
                       "set ylabel 'cross-entropy cost J'\nset grid\nunset key\n"
                       "plot 'cost.csv' every ::1 using 1:2 with lines lw 2 lc rgb '#1f5fa8'\n");
}

// The first iteration whose cost is higher than the one before: where gradient descent stops
// going downhill (the step has become too long for the valley); null when it never happens.
nn::Json first_rise(const std::vector<double>& costs) {
  for (std::size_t i = 1; i < costs.size(); ++i)
    if (costs[i] > costs[i - 1]) return i;
  return nullptr;
}

// J at iterations 0, 1000, 2000, …: the lesson's printout.
std::vector<double> every_1000(const std::vector<double>& costs) {
  std::vector<double> printed;
  for (std::size_t i = 0; i < costs.size(); i += 1000) printed.push_back(costs[i]);
  return printed;
}

}  // namespace

// [book:run]
void run(const Options& o, const nn::CommonOptions& common) {
  const nn::Stopwatch clock;
  const Seeds seeds = seeds_from(common.seed);
  // Data: X is 2 × 400, Y is 1 × 400
  const nn::Dataset data = nn::make_planar_flower(seeds.data);
  std::printf("The planar flower: %llu points, two classes (data seed %u, weights seed %u)\n",
              static_cast<unsigned long long>(data.X.n_cols), seeds.data, seeds.init);
  // The baseline: no hidden layer, one neuron from w = 0, b = 0
  Neuron neuron{arma::zeros(1, data.X.n_rows), arma::zeros(1, 1)};
  const double baseline_cost =
      nn::train_neuron(neuron, data.X, data.Y, o.learning_rate, o.iterations);
  const double baseline_accuracy = nn::binary_accuracy(nn::neuron_output(neuron, data.X), data.Y);
  std::printf("One sigmoid neuron: cost %.6f, accuracy %.2f %%\n", baseline_cost,
              baseline_accuracy);
  // The network 2 → n_h → 1
  const Parameters initial =
      initialize_parameters(data.X.n_rows, o.hidden_units, data.Y.n_rows, seeds.init);
  const Training t = train(data, initial, o.learning_rate, o.iterations);
  const std::vector<double> costs = every_1000(t.costs);
  for (std::size_t k = 0; k < costs.size(); ++k)
    std::printf("Cost after iteration %zu: %.6f\n", 1000 * k, costs[k]);
  const double final_cost = compute_cost(forward(t.parameters, data.X), data.Y);
  const double accuracy = nn::binary_accuracy(predict_proba(t.parameters, data.X), data.Y);
  std::printf("Network with %d tanh hidden units: final cost %.6f, accuracy %.2f %%\n",
              o.hidden_units, final_cost, accuracy);
  const nn::Json rise = first_rise(t.costs);
  if (!rise.is_null())
    std::printf("The cost first rose at iteration %d: from there on, steps overshoot\n",
                rise.get<int>());
  // How many hidden units does the flower need?
  const std::vector<StudyResult> study =
      hidden_size_study(data, o.study_sizes, o.learning_rate, o.study_iterations, seeds.init);
  std::printf("Hidden-size study (%d iterations each):\n", o.study_iterations);
  nn::Json study_json = nn::Json::array();
  for (const StudyResult& s : study) {
    std::printf("  n_h = %2d: accuracy %.2f %%\n", s.hidden_units, s.accuracy);
    study_json.push_back({{"hidden_units", s.hidden_units}, {"accuracy", s.accuracy}});
  }
  // Figures
  const nn::Figures fig(common.out_dir, common.plots);
  draw_flower(fig, data);
  draw_boundaries(fig, data, t.parameters, accuracy, neuron, baseline_accuracy);
  draw_study(fig, data, study, o.study_iterations, neuron, baseline_accuracy);
  draw_cost(fig, t.costs, o.learning_rate);
  // [/book:run]
  // results.json: what was printed, in the order it was printed
  nn::Json results;
  results["hidden_units"] = o.hidden_units;
  results["learning_rate"] = o.learning_rate;
  results["iterations"] = o.iterations;
  results["data_seed"] = seeds.data;
  results["init_seed"] = seeds.init;
  results["costs"] = costs;
  results["final_cost"] = final_cost;
  results["first_cost_rise"] = rise;
  results["accuracy"] = accuracy;
  results["logistic_baseline_accuracy"] = baseline_accuracy;
  results["logistic_baseline_cost"] = baseline_cost;
  results["study_iterations"] = o.study_iterations;
  results["hidden_size_study"] = study_json;
  results["headline"] =
      "accuracy " + fmt::format("{:.2f}", accuracy) + " % with " + std::to_string(o.hidden_units) +
      " hidden units (one neuron: " + fmt::format("{:.2f}", baseline_accuracy) + " %)";
  results["seconds"] = clock.seconds();
  nn::write_results(common.out_dir, results);
  std::printf("Results and figures in %s\n", common.out_dir.string().c_str());
}

}  // namespace ch02
