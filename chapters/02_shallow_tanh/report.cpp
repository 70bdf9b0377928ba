#include "report.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch02 {

namespace {

void print_summary(const Results& r, const Options& o) {
  fmt::print("The planar flower: {} points, two classes (data seed {}, weights seed {})\n",
             r.data.X.n_cols, r.seeds.data, r.seeds.init);
  fmt::print("One sigmoid neuron: cost {}, accuracy {:.2f} %\n", nn::fixed(r.baseline_cost, 6),
             r.baseline_accuracy);
  const std::vector<double> costs = nn::every_nth(r.training.costs, 1000);
  for (std::size_t k = 0; k < costs.size(); ++k)
    fmt::print("Cost after iteration {}: {}\n", 1000 * k, nn::fixed(costs[k], 6));
  fmt::print("Network with {} {} hidden units: final cost {}, accuracy {:.2f} %\n", o.hidden_units,
             nn::activation_name(o.g1), nn::fixed(r.final_cost, 6), r.accuracy);
  for (std::size_t k = 0; k < cost_levels().size(); ++k)
    if (r.first_cost_below[k])
      fmt::print("The cost first fell below {:g} at iteration {}\n", cost_levels()[k],
                 *r.first_cost_below[k]);
  if (r.first_cost_rise)
    fmt::print("The cost first rose at iteration {}: from there on, steps overshoot\n",
               *r.first_cost_rise);
  fmt::print("Hidden-size study ({} iterations each):\n", o.study_iterations);
  for (const StudyResult& s : r.study)
    fmt::print("  n_h = {:2d}: accuracy {:.2f} %\n", s.hidden_units, s.accuracy);
}

// The background of a boundary map is the model's A2 on a grid, in the book's class colours
// (nn::class_palette): reddish where it predicts y = 0, bluish where it predicts y = 1.
std::string map_style() {
  return nn::class_palette() +
         "unset colorbox\nset size ratio -1\nset autoscale fix\n"
         "set xlabel 'x_1'\nset ylabel 'x_2'\n";
}

// The flower's points of both classes, `size` their point size, in the book's class colours.
std::string flower_points(double size) {
  std::string plot;
  for (int y = 0; y < 2; ++y)
    plot += fmt::format(
        "{}  'flower.csv' every ::1 using 1:($3 == {} ? $2 : NaN) with points pt 7 ps {:g} "
        "lc rgb '{}' title 'y = {}'",
        y ? ", \\\n" : "", y, size, nn::kClassColour[y], y);
  return plot + "\n";
}

// One map: column `column` of `grid_csv` as the background, the flower's points on top.
std::string map_plot(const std::string& grid_csv, int column) {
  return "plot '" + grid_csv + "' every ::1 using 1:2:" + std::to_string(column) +
         " with image notitle, \\\n" + flower_points(0.55);
}

// The data alone: the question before any model answers it.
void draw_flower(const nn::Figures& fig, const nn::Dataset& data) {
  fig.csv("flower.csv", {"x1", "x2", "y"},
          {data.X.row(0).t(), data.X.row(1).t(), data.Y.row(0).t()});
  fig.draw("flower",
           "set title 'The planar flower: " + std::to_string(data.X.n_cols) +
               " points, two classes'\nset size ratio -1\nset xlabel 'x_1'\nset ylabel 'x_2'\n"
               "set key below\nplot \\\n" +
               flower_points(0.6),
           620, 660);
}

// The network's and the neuron's maps, side by side in one data file.
void draw_boundaries(const nn::Figures& fig, const Results& r, const Options& o) {
  const Map& m = r.boundaries;
  fig.csv("boundary.csv", {"x1", "x2", "network", "neuron"},
          {m.grid.row(0).t(), m.grid.row(1).t(), m.A[0].t(), m.A[1].t()});
  fig.draw("boundary",
           map_style() +
               fmt::format("set key below\nset title 'Hidden layer of {} {} units: "
                           "accuracy {:.2f} %'\n",
                           o.hidden_units, nn::activation_name(o.g1), r.accuracy) +
               map_plot("boundary.csv", 3),
           620, 660);
  fig.draw("logistic_boundary",
           map_style() +
               fmt::format("set key below\nset title 'One sigmoid neuron: accuracy {:.2f} %'\n",
                           r.baseline_accuracy) +
               map_plot("boundary.csv", 4),
           620, 660);
}

// One map per network of the study, and a last one for the neuron, four to a row, each large
// enough to show where its boundary misses the petals.
void draw_study(const nn::Figures& fig, const Results& r, const Options& o) {
  const Map& m = r.study_maps;
  std::vector<std::string> header{"x1", "x2"};
  std::vector<arma::vec> columns{m.grid.row(0).t(), m.grid.row(1).t()};
  std::string panels;
  for (std::size_t k = 0; k < m.A.size(); ++k) {
    const bool neuron = k == r.study.size();
    header.push_back(neuron ? "neuron" : "n_h=" + std::to_string(r.study[k].hidden_units));
    columns.push_back(m.A[k].t());
    panels += (neuron ? fmt::format("set title 'one neuron: {:.2f} %'\n", r.baseline_accuracy)
                      : fmt::format("set title 'n_h = {}: {:.2f} %'\n", r.study[k].hidden_units,
                                    r.study[k].accuracy)) +
              map_plot("hidden_sizes.csv", static_cast<int>(columns.size()));
  }
  fig.csv("hidden_sizes.csv", header, columns);
  const int n_panels = static_cast<int>(m.A.size());
  const int cols = n_panels > 4 ? 4 : n_panels;
  const int rows = (n_panels + cols - 1) / cols;
  fig.draw("hidden_sizes",
           map_style() +
               "unset key\nunset xlabel\nunset ylabel\nset format x ''\n"
               "set format y ''\n" +
               fmt::format("set multiplot layout {},{} title 'Decision boundary by hidden-layer "
                           "size ({} iterations each; red: y = 0, blue: y = 1)'\n",
                           rows, cols, o.study_iterations) +
               panels + "unset multiplot\n",
           420 * cols, 430 * rows + 50);
}

// The whole run, and an inset of its end from a little before the cost first rose: there the
// steps start to overshoot, and J at even and at odd iterations part into two curves.
void draw_cost(const nn::Figures& fig, const std::vector<double>& costs, double learning_rate,
               std::optional<std::size_t> first_rise) {
  // every iteration's J, recorded before its step
  const arma::vec J = nn::to_vec(costs);
  fig.csv("cost.csv", {"iteration", "cost"}, {arma::regspace(0, J.n_elem - 1), J});
  const std::string whole =
      fmt::format("set title 'Cost J during training (learning rate {:g})'\n", learning_rate) +
      "set xlabel 'iteration'\nset ylabel 'cross-entropy cost J'\nset grid\nunset key\n";
  const std::string curve = "plot 'cost.csv' every ::1 using 1:2 with lines lw 2 lc rgb 'black'\n";
  if (!first_rise) {  // e.g. a small learning rate: nothing to zoom on
    fig.draw("cost", whole + curve);
    return;
  }
  const arma::uword rise = *first_rise, last = J.n_elem - 1;
  const arma::uword from = (rise - rise / 10) / 500 * 500;  // falling a while before the rise
  const arma::vec tail = J.subvec(from, last);
  // room below the curves for the inset's key
  const double range = tail.max() - tail.min(), lo = tail.min() - 0.45 * range,
               hi = tail.max() + 0.08 * range;
  fig.draw(
      "cost",
      "set multiplot\n" + whole +
          fmt::format("set object 1 rect from {}, {:.17g} to {}, {:.17g} fs empty "
                      "border lc rgb 'gray40'\nset arrow 1 from {}, {:.17g} to screen 0.64, 0.28 "
                      "nohead lc rgb 'gray40'\n",
                      from, lo, last, hi, (from + last) / 2, hi) +
          curve +
          fmt::format(
              "unset object 1\nunset arrow 1\nset origin 0.33, 0.28\nset size 0.62, 0.6\n"
              "set object 2 rect from screen 0.33, 0.28 to screen 0.95, 0.88 behind "
              "fc rgb 'white' fs solid noborder\n"
              "set title 'Zoom: the cost jumps at iteration {}, then falls again from higher up'\n"
              "unset xlabel\nunset ylabel\nset xrange [{}:{}]\nset yrange [{:.17g}:{:.17g}]\n"
              "set key bottom right opaque box\n"
              "plot 'cost.csv' every 2::1 using 1:2 with lines lw 1.5 lc rgb 'black' "
              "title 'J at even iterations', \\\n"
              "  '' every 2::2 using 1:2 with lines lw 1.5 lc rgb '#e69f00' "
              "title 'J at odd iterations', \\\n"
              "  '' every ::{}::{} using 1:2 with points pt 6 ps 2.5 lw 2 lc rgb '#7b3294' "
              "title 'first rise'\nunset multiplot\n",
              rise, from, last, lo, hi, rise + 1, rise + 1));
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json results;
  results["hidden_units"] = o.hidden_units;
  results["learning_rate"] = o.learning_rate;
  results["iterations"] = o.iterations;
  results["init_scale"] = o.init_scale;
  results["activation"] = nn::activation_name(o.g1);
  results["data_seed"] = r.seeds.data;
  results["init_seed"] = r.seeds.init;
  results["costs"] = nn::every_nth(r.training.costs, 1000);
  results["final_cost"] = r.final_cost;
  results["first_cost_rise"] = r.first_cost_rise ? nn::Json(*r.first_cost_rise) : nn::Json(nullptr);
  nn::Json& below = results["first_cost_below"] = nn::Json::object();
  for (std::size_t k = 0; k < cost_levels().size(); ++k)
    below[fmt::format("{:g}", cost_levels()[k])] =
        r.first_cost_below[k] ? nn::Json(*r.first_cost_below[k]) : nn::Json(nullptr);
  results["accuracy"] = r.accuracy;
  results["logistic_baseline_accuracy"] = r.baseline_accuracy;
  results["logistic_baseline_cost"] = r.baseline_cost;
  results["study_iterations"] = o.study_iterations;
  results["hidden_size_study"] = nn::Json::array();
  for (const StudyResult& s : r.study)
    results["hidden_size_study"].push_back(
        {{"hidden_units", s.hidden_units}, {"accuracy", s.accuracy}});
  results["headline"] = fmt::format("accuracy {:.2f} % with {} hidden units (one neuron: {:.2f} %)",
                                    r.accuracy, o.hidden_units, r.baseline_accuracy);
  results["seconds"] = r.seconds;
  return results;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  print_summary(r, o);
  const nn::Figures fig(common.out_dir, common.plots);
  draw_flower(fig, r.data);
  draw_boundaries(fig, r, o);
  draw_study(fig, r, o);
  draw_cost(fig, r.training.costs, o.learning_rate, r.first_cost_rise);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("Results and figures in {}\n", common.final_out_dir.string());
}

}  // namespace ch02
