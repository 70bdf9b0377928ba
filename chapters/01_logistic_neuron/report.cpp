#include "report.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "common/nn/metrics.hpp"
#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch01 {

namespace {

void print_lesson(const Results& r, const Options& o) {
  fmt::print("{} training and {} test images of 64x64x3 = {} pixel values each\n",
             r.data.X_train.n_cols, r.data.X_test.n_cols, r.data.X_train.n_rows);
  fmt::print(
      "Curvature of J at the start: lambda = {:.6g} (steps are stable for alpha < "
      "2/lambda = {:.6g})\n",
      r.curvature_start, 2.0 / r.curvature_start);
  fmt::print("Training one neuron: {} iterations at learning rate {:g}\n", o.iterations,
             o.learning_rate);
  const std::vector<double> printed = nn::every_nth(r.lesson.costs, 100);
  for (std::size_t k = 0; k < printed.size(); ++k)
    fmt::print("Cost after iteration {}: {}\n", 100 * k, nn::fixed(printed[k], 6));
  fmt::print("train accuracy: {:g} %\ntest accuracy: {:g} %\n", r.evaluation.train_accuracy,
             r.evaluation.test_accuracy);
  if (r.lesson.textbook_failures > 0)
    fmt::print("(the textbook cost formula gave inf or NaN at {} iterations)\n",
               r.lesson.textbook_failures);
}

void print_study(const Results& r, const Options& o) {
  fmt::print("Learning-rate study ({} iterations each):\n", o.iterations);
  fmt::print("  rate    final cost  train %  test %  2/lambda at end  textbook cost inf/NaN\n");
  for (const Evaluation& e : r.study_evaluations)
    fmt::print("  {:<7g} {:10.6f}  {:7.1f}  {:6.1f}  {:15.6g}  {} iterations\n", e.learning_rate,
               e.final_cost, e.train_accuracy, e.test_accuracy, 2.0 / e.final_curvature,
               e.textbook_failures);
}

std::string cost_name(Cost cost) {
  return cost == Cost::squared_error ? "squared error" : "cross-entropy";
}

// The iteration after which a is first below ½, or "never".
std::string first_below_half(const OneInputRun& run) {
  const std::optional<std::size_t> e = nn::first_below(run.outputs, 0.5);
  return e ? std::to_string(*e) : "never";
}

void print_slowdown(const std::vector<OneInputRun>& runs) {
  const std::size_t iterations = runs.front().outputs.size() - 1;
  fmt::print(
      "Why the cross-entropy: one neuron, input x = 1, answer y = 0, learning rate {:g}, "
      "{} iterations:\n",
      runs.front().learning_rate, iterations);
  fmt::print(
      "  start (w, b)  cost           a at start  dL/dz at start  a < 0.5 after  a at the end\n");
  for (const OneInputRun& run : runs)
    fmt::print("  {:<13} {:<14} {:10.4f}  {:14.4f}  {:>13}  {:12.4f}\n",
               fmt::format("({:g}, {:g})", run.w, run.b), cost_name(run.cost), run.outputs.front(),
               run.gradients.front(), first_below_half(run), run.outputs.back());
}

void plot_cost(const nn::Figures& figures, const Training& run, double learning_rate) {
  const arma::vec J = nn::to_vec(run.costs);
  figures.csv("cost.csv", {"iteration", "cost"},
              {arma::regspace<arma::vec>(0, static_cast<double>(J.n_elem) - 1), J});
  figures.draw("cost", fmt::format("set title 'One sigmoid neuron learns cat or not cat "
                                   "(learning rate {:g})'\n",
                                   learning_rate) +
                           "set xlabel 'iteration'\nset ylabel 'cost J (cross-entropy)'\n"
                           "set grid\nset key top right\n"
                           "plot 'cost.csv' every 2::1 using 1:2 with lines lw 2 lc rgb '#1f77b4' "
                           "title 'J at even iterations', \\\n"
                           "     '' every 2::2 using 1:2 with lines lw 2 lc rgb '#ff7f0e' "
                           "title 'J at odd iterations', \\\n"
                           "     '' every 100::1 using 1:2 with points pt 7 ps 1 lc rgb '#d62728' "
                           "title 'J every 100 iterations (printed)'\n");
}

// Small multiples: one panel per learning rate, its curve in colour over the others in grey,
// so that no rate's zigzag hides another's; a last panel shows all of them, the largest rate
// drawn first and the smoothest curves on top.
void plot_study(const nn::Figures& figures, const std::vector<Training>& runs) {
  static const std::vector<std::string> colours{"#7b3294", "#009e73", "#0072b2", "#e69f00",
                                                "#555555"};
  const std::vector<double>& rates = study_learning_rates();
  std::vector<std::string> header{"iteration"};
  std::vector<arma::vec> columns{
      arma::regspace<arma::vec>(0, static_cast<double>(runs.front().costs.size()) - 1)};
  for (std::size_t k = 0; k < runs.size(); ++k) {
    header.push_back(fmt::format("α = {:g}", rates[k]));
    columns.push_back(nn::to_vec(runs[k].costs));
  }
  figures.csv("learning_rates.csv", header, columns);
  std::string colour_words;  // for gnuplot's colour(c), the colour of data column c
  for (std::size_t k = 0; k < runs.size(); ++k)
    colour_words += (k ? " " : "") + colours[k % colours.size()];
  const std::string colour_of =
      "colours = '" + colour_words + "'\ncolour(c) = word(colours, c - 1)\n";
  const int last = static_cast<int>(runs.size()) + 1, cols = 3, rows = (last + cols - 1) / cols;
  std::string script = colour_of + fmt::format(
                                       "set multiplot layout {},{} title 'The same neuron at "
                                       "{} learning rates: cost J (log scale) per iteration'\n"
                                       "set logscale y\nset grid\nset format y '10^{{%L}}'\n"
                                       "set xlabel 'iteration'\nset xtics 500\nunset key\n",
                                       rows, cols, runs.size());
  for (int c = 2; c <= last; ++c)
    script += fmt::format(
        "set title 'α = {:g}'\n"
        "plot for [d=2:{}] 'learning_rates.csv' every ::1 using 1:d with lines lw 1 "
        "lc rgb 'gray80', \\\n"
        "  '' every ::1 using 1:{} with lines lw 1.5 lc rgb colour({})\n",
        rates[c - 2], last, c, c);
  script += fmt::format(
      "set title 'all {}'\nset key top right autotitle columnhead\n"
      "plot for [c=2:{}] 'learning_rates.csv' using 1:c with lines lw 1.5 lc rgb colour(c)\n"
      "unset multiplot\n",
      runs.size(), last);
  figures.draw("learning_rates", script, 1200, 720);
}

// The detour's four runs: the loss (above) and the output a (below) at every iteration, one
// column of panels per start, the squared error and the cross-entropy in each.
void plot_slowdown(const nn::Figures& figures, const std::vector<OneInputRun>& runs) {
  std::vector<std::string> header{"iteration"};
  std::vector<arma::vec> columns{
      arma::regspace<arma::vec>(0, static_cast<double>(runs.front().outputs.size()) - 1)};
  for (const OneInputRun& run : runs) {
    const std::string name =
        fmt::format("{} from w={:g} b={:g}", cost_name(run.cost), run.w, run.b);
    header.push_back("loss " + name);
    columns.push_back(nn::to_vec(run.losses));
    header.push_back("a " + name);
    columns.push_back(nn::to_vec(run.outputs));
  }
  figures.csv("slowdown.csv", header, columns);
  std::string script = fmt::format(
      "set multiplot layout 2,2 title 'One neuron, input 1, answer 0, learning rate {:g}: "
      "the squared error learns slowly when it starts confidently wrong'\n"
      "set grid\nset xlabel 'iteration'\nset key top right\n",
      runs.front().learning_rate);
  for (int row = 0; row < 2; ++row) {
    script += row == 0 ? "set ylabel 'loss (log scale)'\nset logscale y\nset yrange [*:*]\n"
                       : "set ylabel 'output a'\nunset logscale y\nset yrange [0:1]\n";
    // runs[k] and runs[k + 1] share a start: the squared error, then the cross-entropy
    for (std::size_t k = 0; k < runs.size(); k += 2) {
      const int c = 2 + 2 * static_cast<int>(k) + row;  // the column of the loss or a of runs[k]
      script += fmt::format(
          "set title 'start w = {:g}, b = {:g}: a = {:.2f}'\n"
          "plot 'slowdown.csv' every ::1 using 1:{} with lines lw 2 lc rgb '#d55e00' "
          "title 'squared error', \\\n"
          "     '' every ::1 using 1:{} with lines lw 2 lc rgb '#0072b2' title 'cross-entropy'{}\n",
          runs[k].w, runs[k].b, runs[k].outputs.front(), c, c + 2,
          row == 1 ? ", \\\n     0.5 with lines dt 2 lc rgb 'gray40' title 'a = 0.5'" : "");
    }
  }
  figures.draw("slowdown", script + "unset multiplot\n", 1100, 760);
}

// The collage of test images: 64 × 64 tiles, ten to a row, with a band above each tile for
// its label and a gap between tiles.
constexpr arma::uword kSide = 64, kGap = 8, kBand = 16, kPerRow = 10;

arma::uword collage_width() {
  return kPerRow * (kSide + kGap) - kGap;
}
arma::uword collage_height(arma::uword m) {
  return (m + kPerRow - 1) / kPerRow * (kSide + kBand);
}

// Every pixel of the collage as x, y, r, g, b: gnuplot's rgbimage needs a full rectangle, so
// the bands and gaps are white. Image row 0 is at the top.
void write_collage(const nn::Figures& figures, const arma::Mat<unsigned char>& images) {
  const arma::uword width = collage_width(), height = collage_height(images.n_cols);
  arma::vec x(width * height), y(width * height);
  std::vector<arma::vec> rgb(3, arma::vec(width * height, arma::fill::value(255.0)));
  for (arma::uword py = 0, p = 0; py < height; ++py) {
    for (arma::uword px = 0; px < width; ++px, ++p) {
      x(p) = static_cast<double>(px);
      y(p) = static_cast<double>(height - 1 - py);
      const arma::uword tile = (py / (kSide + kBand)) * kPerRow + px / (kSide + kGap);
      const arma::uword r = py % (kSide + kBand), c = px % (kSide + kGap);
      if (tile >= images.n_cols || r < kBand || c >= kSide) continue;
      // byte (row, column, channel) of the picture, in numpy's C order
      for (arma::uword ch = 0; ch < 3; ++ch)
        rgb[ch](p) = images(((r - kBand) * kSide + c) * 3 + ch, tile);
    }
  }
  figures.csv("test_images.csv", {"x", "y", "r", "g", "b"}, {x, y, rgb[0], rgb[1], rgb[2]});
}

// Each tile's centre, the neuron's answer ŷ, the truth y and the probability a.
void write_labels(const nn::Figures& figures, const Results& r) {
  const arma::uword m = r.test_A.n_elem, height = collage_height(m);
  arma::vec cx(m), cy(m);
  for (arma::uword j = 0; j < m; ++j) {
    cx(j) = static_cast<double>((j % kPerRow) * (kSide + kGap) + kSide / 2);
    cy(j) = static_cast<double>(height - (j / kPerRow) * (kSide + kBand) - kBand - kSide / 2);
  }
  figures.csv("test_labels.csv", {"x", "y", "predicted", "truth", "a"},
              {cx, cy, r.test_prediction.t(), r.data.Y_test.t(), r.test_A.t()});
}

// The test pictures with the predicted label and a above each; wrong ones red and framed.
void plot_test_images(const nn::Figures& figures, const Results& r) {
  write_collage(figures, r.data.test_images);
  write_labels(figures, r);
  const std::vector<std::string>& classes = r.data.classes;
  const std::string label = "($3 > 0.5 ? '" + classes[1] + "' : '" + classes[0] + "')";
  figures.draw("test_images",
               "width = " + std::to_string(collage_width()) +
                   "\nheight = " + std::to_string(collage_height(r.data.test_images.n_cols)) +
                   "\nside = " + std::to_string(kSide) + "\nband = " + std::to_string(kBand) +
                   "\nlabel = \"" + label +
                   "\"\n"
                   "set title \"Test images: predicted label and a = σ(z); red = wrong "
                   "(the truth is the other class)\"\n"
                   "unset border\nunset tics\nunset key\nset size ratio -1\n"
                   "set lmargin 1\nset rmargin 1\n"
                   "set xrange [-1:width]\nset yrange [-1:height]\n"
                   "wrong(v) = ($3 != $4) ? v : NaN\n"
                   "plot 'test_images.csv' every ::1 using 1:2:3:4:5 with rgbimage, \\\n"
                   "     'test_labels.csv' every ::1 using 1:($2 + side/2 + band/2):"
                   "(sprintf('%s %.2f', @label, $5)):($3 == $4 ? 0x202020 : 0xd00000) "
                   "with labels textcolor rgb variable font ',9', \\\n"
                   "     'test_labels.csv' every ::1 using (wrong($1)):2:(side/2):(side/2) "
                   "with boxxy fs empty lw 2 lc rgb '#d00000'\n",
               1200, 760);
}

nn::Json to_json(const Evaluation& e) {
  return nn::Json{
      {"learning_rate", e.learning_rate},     {"train_accuracy", e.train_accuracy},
      {"test_accuracy", e.test_accuracy},     {"final_cost", e.final_cost},
      {"final_curvature", e.final_curvature}, {"textbook_cost_failures", e.textbook_failures}};
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  const Evaluation& e = r.evaluation;
  nn::Json results;
  results["iterations"] = o.iterations;
  results["learning_rate"] = o.learning_rate;
  results["costs"] = nn::every_nth(r.lesson.costs, 100);
  results["train_accuracy"] = e.train_accuracy;
  results["test_accuracy"] = e.test_accuracy;
  results["headline"] = fmt::format("test accuracy {:.1f} %", e.test_accuracy);
  results["final_cost"] = e.final_cost;
  results["textbook_cost_failures"] = e.textbook_failures;
  results["curvature_start"] = r.curvature_start;
  results["stable_rate_start"] = 2.0 / r.curvature_start;
  results["curvature_end"] = e.final_curvature;
  results["stable_rate_end"] = 2.0 / e.final_curvature;
  results["lr_study"] = nn::Json::array();
  for (const Evaluation& s : r.study_evaluations) results["lr_study"].push_back(to_json(s));
  results["slowdown"] = nn::Json::array();
  for (const OneInputRun& run : r.slowdown) {
    const std::optional<std::size_t> below = nn::first_below(run.outputs, 0.5);
    results["slowdown"].push_back(
        {{"cost", cost_name(run.cost)},
         {"w", run.w},
         {"b", run.b},
         {"learning_rate", run.learning_rate},
         {"iterations", run.outputs.size() - 1},
         {"output_start", run.outputs.front()},
         {"gradient_start", run.gradients.front()},
         {"first_below_half", below ? nn::Json(*below) : nn::Json(nullptr)},
         {"output_end", run.outputs.back()},
         {"loss_end", run.losses.back()}});
  }
  results["seconds"] = r.seconds;
  return results;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  print_lesson(r, o);
  print_study(r, o);
  print_slowdown(r.slowdown);
  const nn::Figures figures(common.out_dir, common.plots);
  plot_cost(figures, r.lesson, o.learning_rate);
  plot_study(figures, r.study);
  plot_test_images(figures, r);
  plot_slowdown(figures, r.slowdown);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("Results and figures in {}\n", common.final_out_dir.string());
}

}  // namespace ch01
