#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch03 {

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

std::string certificate_sentence(const std::vector<Demand>& rows, const Certificate& mu) {
  // The label-1 demands (z > 0) and the label-0 ones (z < 0), each weighted by μ_i and added.
  const auto added = [&](int s) {
    std::string text;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].s != s || mu[i] == 0) continue;
      text += text.empty() ? "" : " + ";
      text += mu[i] == 1 ? "" : std::to_string(mu[i]) + "·";
      text.append("(").append(linear_text(rows[i].x)).append(s > 0 ? " > 0)" : " < 0)");
    }
    return text;
  };
  // Σ μ_i s_i x_i = 0 says both groups add up to the same expression.
  const std::string sum = linear_text(certificate_sum(rows, mu));
  return added(+1) + " gives " + sum + " > 0, but " + added(-1) + " gives " + sum + " < 0";
}

namespace {

// "0.5000, 0.5000, 0.5000, 0.5000": a model's outputs on the four rows.
std::string outputs_text(const arma::mat& A) {
  std::string text;
  for (arma::uword j = 0; j < A.n_elem; ++j) text += fmt::format("{}{:.4f}", j ? ", " : "", A(j));
  return text;
}

void print_proof(const Results& r) {
  fmt::print("1. The proof, checked exactly: each row demands s·(w1·x1 + w2·x2 + b) > 0\n");
  for (const GateProof& p : r.proofs) {
    const Verdict& v = p.verdict;
    if (v.separable()) {
      const auto [w1, w2, b] = *v.line;
      fmt::print("   {:<5} separable:   w1 = {}, w2 = {}, b = {} classifies all four rows\n",
                 v.gate, w1, w2, b);
    } else {
      const Certificate& l = *v.certificate;
      fmt::print(
          "   {:<5} inseparable: multipliers ({}, {}, {}, {}) for the rows"
          " (0,0) (0,1) (1,0) (1,1)\n         {}\n",
          v.gate, l[0], l[1], l[2], l[3], certificate_sentence(p.rows, l));
    }
  }
}

void print_numbers(const Results& r, const Options& o) {
  const GridResult& grid = r.grid;
  fmt::print(
      "\n3. A grid of {} lines (w1, w2, b) in [-10, 10]^3, step {:g}: the best gets {} "
      "of 4 XOR points (w1 = {:g}, w2 = {:g}, b = {:g})\n",
      grid.lines_tried, o.grid_step, grid.best_correct, grid.best_line[0], grid.best_line[1],
      grid.best_line[2]);
  fmt::print(
      "   one sigmoid neuron, {} epochs of gradient descent: cost {} (ln 2 = {:.10f}),"
      "\n   outputs {}\n",
      o.epochs, nn::fixed(r.single_neuron.cost, 10), std::log(2.0),
      outputs_text(r.single_neuron.A));
  fmt::print("\n4. A 2-2-1 network with identity hidden units, lr {:g}, one sample per step:\n",
             o.learning_rate);
  fmt::print(
      "   after {} epochs: cost {}, outputs {}, accuracy {:.0f} %\n"
      "   it is the single neuron w = W2 W1 = ({:.3g}, {:.3g}), b = W2 b1 + b2 = {:.3g}\n",
      r.linear_training.epochs, nn::fixed(r.linear.cost, 6), outputs_text(r.linear.A),
      r.linear.accuracy, r.collapsed.w(0), r.collapsed.w(1), r.collapsed.b(0));
  fmt::print(
      "\n5. A 2-2-1 network with sigmoid hidden units, lr {:g}, one sample per step, until"
      " every |a - y| < {:g}:\n",
      o.learning_rate, o.tolerance);
  fmt::print(
      "   {} after {} epochs: outputs {}, accuracy {:.0f} %\n"
      "   hidden layer: (0,0) (0,1) (1,0) (1,1) become\n   a1_1 = {}\n   a1_2 = {}\n",
      r.two_layer_training.reached ? "done" : "NOT done", r.two_layer_training.epochs,
      outputs_text(r.two_layer.A), r.two_layer.accuracy, outputs_text(r.hidden.row(0)),
      outputs_text(r.hidden.row(1)));
}

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

// A model's output a over its square, one row per pixel, for `with image`.
void region_csv(const nn::Figures& fig, const std::string& file, const Region& region) {
  fig.csv(file, {"u", "v", "a"}, {region.P.row(0).t(), region.P.row(1).t(), region.A.row(0).t()});
}

struct RegionPlot {
  std::string name, title, xlabel, ylabel, cblabel, line_title;
  double lo, hi;
  std::string key = "bottom right";  // where the legend covers no point
};

// One label per spot, above it, naming the rows (x1,x2) whose points are there: rows whose
// points lie within 5 % of the plot's width of each other share one label, "(0,1) and (1,0)",
// so that no two labels overlap. Each label is kept inside the plot.
std::string point_labels(const arma::mat& P, const nn::Dataset& data, double lo, double hi) {
  const double width = hi - lo;
  std::vector<std::vector<arma::uword>> spots;  // the rows at each spot
  for (arma::uword j = 0; j < P.n_cols; ++j) {
    const auto here = std::find_if(spots.begin(), spots.end(), [&](const auto& spot) {
      return arma::norm(P.col(j) - P.col(spot.front())) < 0.05 * width;
    });
    if (here == spots.end())
      spots.push_back({j});
    else
      here->push_back(j);
  }
  std::string labels;
  for (const std::vector<arma::uword>& spot : spots) {
    std::string text;
    for (const arma::uword j : spot)
      text += fmt::format("{}({:g},{:g})", text.empty() ? "" : " and ", data.X(0, j), data.X(1, j));
    // about 0.011 of the width per character at this size: the label's half width, plus a margin
    const double half = 0.011 * width * static_cast<double>(text.size()) / 2.0 + 0.02 * width;
    const double u = std::clamp(P(0, spot.front()), lo + half, hi - half);
    labels += fmt::format("set label \"{}\" at {:.6g}, {:.6g} center front font ',12'\n", text, u,
                          P(1, spot.front()) + 0.065 * width);
  }
  return labels;
}

// Background: the model's output in the book's class colours (red towards 0, blue towards 1,
// nn::class_palette); the line; the four points, label 0 red discs and label 1 blue triangles,
// each spot named by the rows (x1,x2) whose points are there.
void draw_region(const nn::Figures& fig, const RegionPlot& p, const arma::mat& points,
                 const nn::Dataset& data) {
  std::string s = nn::class_palette() +
                  fmt::format(
                      "set title \"{}\"\nset xlabel \"{}\"\nset ylabel \"{}\"\nset cblabel "
                      "\"{}\"\nset xrange [{:g}:{:g}]\nset yrange [{:g}:{:g}]\nset size ratio -1\n"
                      "set key box opaque {}\nset grid front\nset clip two\n",
                      p.title, p.xlabel, p.ylabel, p.cblabel, p.lo, p.hi, p.lo, p.hi, p.key);
  s += point_labels(points, data, p.lo, p.hi);
  s += "plot '" + p.name + "_region.csv' every ::1 using 1:2:3 with image notitle, \\\n";
  if (!p.line_title.empty())  // the network's boundary is curved: the background shows it
    s += "  '" + p.name + "_line.csv' every ::1 using 1:2 with lines lw 3 lc rgb 'black'" +
         " title \"" + p.line_title + "\", \\\n";
  for (int y = 0; y < 2; ++y)
    s += fmt::format(
        "{}  '{}_points.csv' every ::1 using 1:($3 == {} ? $2 : 1/0) with points pt {} ps 3 "
        "lc rgb '{}' title 'label {}'",
        y ? ", \\\n" : "", p.name, y, y ? 9 : 7, nn::kClassColour[y], y);
  s += "\n";
  fig.draw(p.name, s, 700, 620);
}

// The three figures: the best line of one neuron, the trained network's regions, and what the
// output neuron sees, the points at (a1_1, a1_2).
void write_figures(const nn::Figures& fig, const Results& r) {
  const auto [w1, w2, b] = r.grid.best_line;
  points_csv(fig, "single_neuron_line_points.csv", r.data.X, r.data);
  line_csv(fig, "single_neuron_line_line.csv", w1, w2, b);
  region_csv(fig, "single_neuron_line_region.csv", r.line_region);
  draw_region(fig,
              {"single_neuron_line", "One neuron: the best line gets 3 of 4 XOR points", "x_1",
               "x_2", "neuron says 1 (blue) or 0 (red)", "best line on the grid", r.line_region.lo,
               r.line_region.hi},
              r.data.X, r.data);

  points_csv(fig, "decision_regions_points.csv", r.data.X, r.data);
  region_csv(fig, "decision_regions_region.csv", r.network_region);
  draw_region(fig,
              {"decision_regions", "The trained 2-2-1 network: output a over the plane", "x_1",
               "x_2", "a = σ(z_2)", "", r.network_region.lo, r.network_region.hi},
              r.data.X, r.data);

  points_csv(fig, "hidden_view_points.csv", r.hidden, r.data);
  line_csv(fig, "hidden_view_line.csv", r.net.W2(0, 0), r.net.W2(0, 1), r.net.b2(0, 0));
  region_csv(fig, "hidden_view_region.csv", r.hidden_region);
  draw_region(
      fig,
      {"hidden_view", "What the output neuron sees: the points at (a1_1, a1_2)",
       "hidden unit 1: a1_1", "hidden unit 2: a1_2", "a = σ(W2 a1 + b2)",
       "output neuron: W2 a1 + b2 = 0", r.hidden_region.lo, r.hidden_region.hi, "top right"},
      r.hidden, r.data);
}

}  // namespace

nn::Json to_json(const Results& r, const Options&) {
  nn::Json results;
  const auto is_xor = [](const GateProof& p) { return p.verdict.gate == "XOR"; };
  const Verdict& xor_verdict = std::find_if(r.proofs.begin(), r.proofs.end(), is_xor)->verdict;
  results["xor_separable"] = xor_verdict.separable();
  results["certificate"] = *xor_verdict.certificate;
  results["certificate_sum"] = r.xor_certificate_sum;
  nn::Json& gates = results["gates"] = nn::Json::object();
  for (const GateProof& p : r.proofs) {
    const Verdict& v = p.verdict;
    if (v.separable())
      gates[v.gate] = {
          {"separable", true}, {"w1", (*v.line)[0]}, {"w2", (*v.line)[1]}, {"b", (*v.line)[2]}};
    else
      gates[v.gate] = {{"separable", false}, {"certificate", *v.certificate}};
  }
  results["grid_lines"] = r.grid.lines_tried;
  results["grid_best_correct"] = r.grid.best_correct;
  results["grid_best_line"] = r.grid.best_line;
  results["single_neuron_final_cost"] = r.single_neuron.cost;
  results["single_neuron_outputs"] = nn::to_json(r.single_neuron.A);
  results["linear_hidden_epochs"] = r.linear_training.epochs;
  results["linear_hidden_cost"] = r.linear.cost;
  results["linear_hidden_outputs"] = nn::to_json(r.linear.A);
  results["linear_hidden_accuracy"] = r.linear.accuracy;
  results["two_layer_reached"] = r.two_layer_training.reached;
  results["two_layer_epochs"] = r.two_layer_training.epochs;
  results["two_layer_cost"] = r.two_layer.cost;
  results["two_layer_outputs"] = nn::to_json(r.two_layer.A);
  results["two_layer_hidden"] = nn::to_json(r.hidden);
  results["two_layer_accuracy"] = r.two_layer.accuracy;
  results["headline"] =
      fmt::format("XOR inseparable; 2-2-1 net {} in {} epochs",
                  r.two_layer_training.reached ? "learns it" : "does NOT learn it",
                  r.two_layer_training.epochs);
  results["seconds"] = r.seconds;
  return results;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  print_proof(r);
  print_numbers(r, o);
  write_figures(nn::Figures(common.out_dir, common.plots), r);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("\nresults and figures in {}\n", common.final_out_dir.string());
}

}  // namespace ch03
