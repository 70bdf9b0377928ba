#include "report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch09 {

namespace {

// One colour per class in every figure: the points dark, the regions pale.
const char* const kDark[kClasses] = {"#b03a2e", "#1f5fa8", "#2e8b3a"};
const char* const kPale[kClasses] = {"#f2c4bf", "#c5daf0", "#c8e6c4"};

nn::Json evaluation_json(const Evaluation& e) {
  return {{"accuracy", e.accuracy},
          {"precision", nn::to_json(e.scores.precision)},
          {"recall", nn::to_json(e.scores.recall)},
          {"confusion", nn::to_json(e.confusion)}};
}

nn::Json model_json(const Model& m, int iterations) {
  return {{"layers", m.sizes},
          {"iterations", iterations},
          {"print_every", m.print_every},
          {"losses", nn::every_nth(m.trained.losses, static_cast<std::size_t>(m.print_every))},
          {"final_loss", m.trained.final_loss},
          {"train_accuracy", m.train.accuracy},
          {"test_accuracy", m.test.accuracy},
          {"gradient_check", m.gradient_error}};
}

nn::Json imbalance_json(const Imbalance& s, const Options& o) {
  nn::Json j{{"rare_class", kRare},
             {"keep_every", o.keep_every},
             {"train_counts", nn::to_json(class_counts(s.train.y))},
             {"test_counts", nn::to_json(class_counts(s.test.y))},
             {"variants", nn::Json::array()}};
  for (const Variant& v : s.variants)
    j["variants"].push_back({{"name", v.name},
                             {"train_counts", nn::to_json(class_counts(v.data.y))},
                             {"losses", nn::every_nth(v.trained.losses, 1000)},
                             {"final_loss", v.trained.final_loss},
                             {"train", evaluation_json(v.train)},
                             {"test", evaluation_json(v.test)}});
  return j;
}

void print_confusion(const arma::umat& C) {
  fmt::print("      answered:   0     1     2\n");
  for (arma::uword i = 0; i < C.n_rows; ++i)
    fmt::print("      true {}: {:5d} {:5d} {:5d}\n", i, C(i, 0), C(i, 1), C(i, 2));
}

void print_summary(const Results& r, const Options& o) {
  fmt::print("The spiral: {} arms of {} points (training seed {}, test seed {}, weights seed {})\n",
             kClasses, o.points, r.seeds.train, r.seeds.test, r.seeds.init);
  for (const Model& m : r.models) {
    fmt::print("{} {}:\n", m.name == "linear" ? "Softmax regression" : "Network",
               fmt::join(m.sizes, " → "));
    const std::vector<double> losses = nn::every_nth(m.trained.losses, m.print_every);
    for (std::size_t k = 0; k < losses.size(); ++k)
      fmt::print("  iteration {:5d}: loss {}\n", k * static_cast<std::size_t>(m.print_every),
                 nn::fixed(losses[k], 6));
    fmt::print("  final loss {}; training accuracy {:.2f} %, test accuracy {:.2f} %\n",
               nn::fixed(m.trained.final_loss, 6), m.train.accuracy, m.test.accuracy);
    fmt::print("  gradient check: relative error {:.2e}\n", m.gradient_error);
  }
  const Imbalance& s = r.imbalance;
  fmt::print("One arm rare: class {} keeps 1 point in {} ({} training points, {} test points)\n",
             kRare, o.keep_every, s.train.y.n_elem, s.test.y.n_elem);
  for (const Variant& v : s.variants) {
    fmt::print(
        "  {:<11} test accuracy {:.2f} %; recall {:.1f} / {:.1f} / {:.1f} %, precision "
        "{:.1f} / {:.1f} / {:.1f} %\n",
        v.name, v.test.accuracy, v.test.scores.recall(0), v.test.scores.recall(1),
        v.test.scores.recall(2), v.test.scores.precision(0), v.test.scores.precision(1),
        v.test.scores.precision(2));
    print_confusion(v.test.confusion);
  }
}

// ---- figures --------------------------------------------------------------------------------

// Points of class k from a csv of x1, x2, label: one plot element per class.
std::string points(const std::string& csv, double size, const std::string& title_prefix) {
  std::vector<std::string> parts;
  for (arma::uword k = 0; k < kClasses; ++k)
    parts.push_back(fmt::format(
        "'{}' every ::1 using 1:($3 == {} ? $2 : NaN) with points pt 7 ps {} lc rgb '{}' "
        "title '{}{}'",
        csv, k, size, kDark[k], title_prefix, k));
  return fmt::format("{}", fmt::join(parts, ", \\\n  "));
}

std::string region_style() {
  return fmt::format(
      "set palette defined (0 '{}', 1 '{}', 2 '{}')\nset palette maxcolors 3\nset cbrange "
      "[-0.5:2.5]\nunset colorbox\nset size ratio -1\nset autoscale fix\n"
      "set xlabel 'x_1'\nset ylabel 'x_2'\n",
      kPale[0], kPale[1], kPale[2]);
}

// A labelled set as x1, x2, class: what the point plots read.
void points_csv(const nn::Figures& fig, const std::string& file, const Data& d) {
  fig.csv(file, {"x1", "x2", "class"},
          {d.X.row(0).t(), d.X.row(1).t(), arma::conv_to<arma::vec>::from(d.y)});
}

void draw_spiral(const nn::Figures& fig, const Results& r) {
  points_csv(fig, "spiral.csv", r.train);
  points_csv(fig, "spiral_test.csv", r.test);
  fig.draw("spiral",
           fmt::format("set title 'The spiral: {} arms of {} points'\nset size ratio -1\n"
                       "set xlabel 'x_1'\nset ylabel 'x_2'\nset key below\nplot ",
                       kClasses, r.train.y.n_elem / kClasses) +
               points("spiral.csv", 0.7, "class ") + "\n",
           620, 660);
}

// Maps side by side, one panel per model: the predicted class as the background, the
// training points on top.
void draw_regions(const nn::Figures& fig, const std::string& name, const Regions& g,
                  const std::string& points_csv, const std::vector<std::string>& titles,
                  const std::string& title) {
  std::vector<std::string> header{"x1", "x2"};
  std::vector<arma::vec> columns{g.grid.row(0).t(), g.grid.row(1).t()};
  std::string panels;
  for (std::size_t k = 0; k < g.class_of.size(); ++k) {
    header.push_back("model" + std::to_string(k));
    columns.push_back(arma::conv_to<arma::vec>::from(g.class_of[k]));
    panels += fmt::format(
        "set title '{}'\nplot '{}.csv' every ::1 using 1:2:{} with image "
        "notitle, \\\n  {}\n",
        titles[k], name, k + 3, points(points_csv, 0.45, "class "));
  }
  fig.csv(name + ".csv", header, columns);
  const int n = static_cast<int>(g.class_of.size());
  fig.draw(name,
           region_style() + "unset key\n" +
               fmt::format("set multiplot layout 1,{} title '{}'\n", n, title) + panels +
               "unset multiplot\n",
           440 * n, 500);
}

void draw_losses(const nn::Figures& fig, const Results& r) {
  std::string panels;
  for (const Model& m : r.models) {
    const arma::vec J = nn::to_vec(m.trained.losses);
    fig.csv(m.name + "_losses.csv", {"iteration", "loss"}, {arma::regspace(0, J.n_elem - 1), J});
    // five tics along the iterations, whatever their number
    panels += fmt::format(
        "set title '{}: {}'\nset xtics {}\nplot '{}_losses.csv' every ::1 using 1:2 with "
        "lines lw 2 lc rgb '#1f5fa8'\n",
        m.name == "linear" ? "softmax regression" : "network", fmt::join(m.sizes, "-"),
        std::max<arma::uword>(1, J.n_elem / 5), m.name);
  }
  fig.draw("losses",
           "set multiplot layout 1,2 title 'The loss (cross-entropy + L2) during training'\n"
           "set xlabel 'iteration'\nset ylabel 'loss'\nset grid\nunset key\n"
           "set yrange [0:1.2]\n" +
               panels + "unset multiplot\n",
           900, 420);
}

// Per-class recall and precision on the study's test spiral, one cluster per class.
void draw_recall(const nn::Figures& fig, const Imbalance& s) {
  std::vector<std::string> header{"class"};
  std::vector<arma::vec> columns{arma::regspace(0, kClasses - 1)};
  for (const Variant& v : s.variants) {
    header.push_back(v.name + " recall");
    columns.push_back(v.test.scores.recall);
  }
  for (const Variant& v : s.variants) {
    header.push_back(v.name + " precision");
    columns.push_back(v.test.scores.precision);
  }
  fig.csv("imbalance_scores.csv", header, columns);
  // one bar per variant in each class's cluster, the variant's name in the key (in one row
  // below the panel), the class under its cluster ("class 0", …: no separate axis label)
  const auto plot = [&](std::size_t first_column) {
    std::string text = "plot ";
    for (std::size_t k = 0; k < s.variants.size(); ++k)
      text +=
          fmt::format("{}'imbalance_scores.csv' using {}:xtic(sprintf('class %d', $1)) title '{}'",
                      k ? ", " : "", first_column + k, s.variants[k].name);
    return text + "\n";
  };
  const std::string style =
      "set style data histograms\nset style histogram clustered gap 1\nset style fill solid "
      "0.8 border -1\nset boxwidth 0.9\nset yrange [0:105]\nset grid ytics\n"
      "set key below horizontal maxrows 1 height 1 autotitle columnhead\n";
  fig.draw("imbalance_recall",
           style +
               "set multiplot layout 1,2 title 'The rare class (2) on the test spiral'\n"
               "set title 'recall: of the true class k, found'\nset ylabel 'percent'\n" +
               plot(2) + "set title 'precision: of the answers k, right'\n" +
               plot(2 + s.variants.size()) + "unset multiplot\n",
           1000, 460);
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json j;
  j["points_per_class"] = o.points;
  j["classes"] = kClasses;
  j["hidden_units"] = o.hidden_units;
  j["learning_rate"] = o.learning_rate;
  j["reg"] = o.reg;
  j["seeds"] = {{"train", r.seeds.train},
                {"test", r.seeds.test},
                {"init", r.seeds.init},
                {"oversample", r.seeds.oversample}};
  j["linear"] = model_json(r.models[0], o.linear_iterations);
  j["network"] = model_json(r.models[1], o.iterations);
  j["imbalance"] = imbalance_json(r.imbalance, o);
  j["headline"] = fmt::format("training accuracy: linear {:.2f} %, network {:.2f} %",
                              r.models[0].train.accuracy, r.models[1].train.accuracy);
  j["seconds"] = r.seconds;
  return j;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  print_summary(r, o);
  const nn::Figures fig(common.out_dir, common.plots);
  draw_spiral(fig, r);
  draw_regions(
      fig, "regions", r.regions, "spiral.csv",
      {fmt::format("softmax regression: {:.2f} %", r.models[0].train.accuracy),
       fmt::format("2-{}-3 ReLU network: {:.2f} %", o.hidden_units, r.models[1].train.accuracy)},
      "Decision regions (training accuracy)");
  draw_losses(fig, r);
  const Imbalance& s = r.imbalance;
  points_csv(fig, "imbalanced.csv", s.train);
  std::vector<std::string> titles;
  for (const Variant& v : s.variants)
    titles.push_back(
        fmt::format("{}: class 2 recall {:.0f} %", v.name, v.test.scores.recall(kRare)));
  draw_regions(fig, "imbalance_regions", r.imbalance_regions, "imbalanced.csv", titles,
               fmt::format("Class 2 thinned to 1 point in {}", o.keep_every));
  draw_recall(fig, s);
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("Results and figures in {}\n", common.final_out_dir.string());
}

}  // namespace ch09
