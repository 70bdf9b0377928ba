#include "report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "common/plumbing/number_text.hpp"
#include "common/plumbing/plot.hpp"

namespace ch08 {

namespace {

// A start's short name ("small", "sqrt", "zeros", "equal") and its formula ("randn * 0.01", …).
struct InitName {
  const char* key;
  const char* formula;
};

const InitName& init_name(Init init) {
  static const InitName names[] = {{"small", "randn * 0.01"},
                                   {"sqrt", "randn / sqrt(n[l-1])"},
                                   {"zeros", "zeros"},
                                   {"equal", "1/n[l-1]"}};
  return names[static_cast<int>(init)];
}

std::string layers_text(const std::vector<arma::uword>& layers) {
  return fmt::format("[{}]", fmt::join(layers, ", "));
}

nn::Json model_json(const Model& m) {
  return {{"layers", m.layers},
          {"init", init_name(m.init).formula},
          {"iterations", m.iterations},
          {"costs", nn::every_nth(m.trained.costs, 100)},
          {"final_cost", m.trained.costs.back()},
          {"train_accuracy", m.train_accuracy},
          {"test_accuracy", m.test_accuracy}};
}

// The test pictures a model gets wrong: their indices, 0-based.
arma::uvec mistakes(const Model& m, const nn::CatSet& data) {
  const arma::rowvec y_hat = arma::conv_to<arma::rowvec>::from(m.test_probability > 0.5);
  return arma::find(y_hat != data.Y_test);
}

void print_model(const Model& m) {
  fmt::print("Model {} (L = {}), W = {}:\n", layers_text(m.layers), m.layers.size() - 1,
             init_name(m.init).formula);
  for (std::size_t i = 0; i < m.trained.costs.size(); i += 100)
    fmt::print("  Cost after iteration {}: {}\n", i, m.trained.costs[i]);
  fmt::print("  train accuracy {:.10g} %, test accuracy {:.10g} %\n", m.train_accuracy,
             m.test_accuracy);
}

void print_symmetry(const Results& r) {
  fmt::print("Symmetry: the net {} for {} iterations from three starts:\n",
             layers_text(r.symmetry.front().layers), r.symmetry.front().iterations);
  for (std::size_t k = 0; k < r.symmetry.size(); ++k) {
    const Model& m = r.symmetry[k];
    const Symmetry& s = r.symmetry_facts[k];
    fmt::print(
        "  W = {:<13} cost {} → {}; distinct units per hidden layer {}; "
        "largest difference between two units' weights {}\n",
        init_name(m.init).formula, nn::fixed(m.trained.costs.front(), 6),
        nn::fixed(m.trained.costs.back(), 6), s.distinct_units, s.max_row_difference);
  }
  fmt::print("  (always answering the share of cats costs {:.6f})\n", r.label_entropy);
}

// ---- figures --------------------------------------------------------------------------------

void plot_costs(const nn::Figures& figures, const Results& r) {
  std::vector<std::string> header{"iteration"};
  std::vector<arma::vec> columns{
      arma::regspace<arma::vec>(0, static_cast<double>(r.models.front().trained.costs.size()) - 1)};
  for (const Model& m : r.models) {
    // (no commas in a column's name: the file is comma separated)
    header.push_back(fmt::format("L = {}: {}", m.layers.size() - 1, fmt::join(m.layers, "-")));
    columns.push_back(nn::to_vec(m.trained.costs));
  }
  figures.csv("costs.csv", header, columns);
  figures.draw("costs",
               "set title 'The cost of each model during training'\nset xlabel 'iteration'\nset "
               "ylabel 'cost J (cross-entropy)'\n"
               "set grid\nset key top right autotitle columnhead\n"
               "plot for [c=2:" +
                   std::to_string(r.models.size() + 1) +
                   "] 'costs.csv' using 1:c with lines lw 2\n");
}

void plot_symmetry_costs(const nn::Figures& figures, const Results& r) {
  const arma::uword n = r.symmetry.front().trained.costs.size();
  std::vector<std::string> header{"iteration",
                                  fmt::format("W = {}", init_name(r.models.back().init).formula)};
  std::vector<arma::vec> columns{arma::regspace<arma::vec>(0, static_cast<double>(n) - 1),
                                 nn::to_vec(r.models.back().trained.costs).head(n)};
  for (const Model& m : r.symmetry) {
    header.push_back(fmt::format("W = {}", init_name(m.init).formula));
    columns.push_back(nn::to_vec(m.trained.costs));
  }
  figures.csv("symmetry_costs.csv", header, columns);
  // The stuck starts' curves coincide: each drawn thinner and with shorter dashes than the one
  // before, so that all of them show where they overlap.
  std::string curves;
  for (std::size_t c = 3; c <= columns.size(); ++c)
    curves += fmt::format("     '' using 1:{} with lines lw {:g} dt {}, \\\n", c,
                          std::max(1.0, 7.0 - 2.0 * static_cast<double>(c - 3)),
                          c == 3 ? "1" : fmt::format("({}, {})", 24 / (c - 2), 24 / (c - 2)));
  figures.draw("symmetry_costs",
               fmt::format("set title 'The net {} from four starts'\n"
                           "set xlabel 'iteration'\nset ylabel 'cost J'\nset grid\n"
                           "set key top right autotitle columnhead\n"
                           "plot 'symmetry_costs.csv' using 1:2 with lines lw 2, \\\n{}"
                           "     {} with lines dt 2 lc rgb '#606060' title 'share of cats'\n",
                           layers_text(r.symmetry.front().layers), curves, r.label_entropy));
}

// The first `columns` weights of every unit of layer 1 (one row per unit), as an image.
void write_units(const nn::Figures& figures, const std::string& file, const arma::mat& W1,
                 arma::uword columns) {
  arma::vec x, y, w;
  x.set_size(W1.n_rows * columns), y.set_size(x.n_elem), w.set_size(x.n_elem);
  for (arma::uword i = 0, p = 0; i < W1.n_rows; ++i)
    for (arma::uword j = 0; j < columns; ++j, ++p) x(p) = j, y(p) = i, w(p) = W1(i, j);
  figures.csv(file, {"weight", "unit", "W1"}, {x, y, w});
}

void plot_symmetry(const nn::Figures& figures, const Results& r) {
  const Model& random = r.models.back();
  const Model& equal = r.symmetry[1];
  constexpr arma::uword kColumns = 60;
  write_units(figures, "units_random.csv", random.trained.parameters.W[1], kColumns);
  write_units(figures, "units_equal.csv", equal.trained.parameters.W[1], kColumns);
  // one cell per weight, white at 0: the colour range is symmetric about 0 in each panel
  const auto extent = [&](const Model& m) {
    return std::max(arma::abs(m.trained.parameters.W[1].cols(0, kColumns - 1)).max(), 1e-300);
  };
  const std::string panel =
      "set xlabel 'weight j (of the first {0})'\nset ylabel 'unit i of layer 1'\n"
      "set title '{1}'\nset cbrange [{3:g}:{4:g}]\n"
      "plot '{2}' every ::1 using 1:2:3 with image\n";
  figures.draw(
      "symmetry",
      fmt::format("set multiplot layout 1,2\nunset key\nset palette defined (-1 '#2166ac', 0 "
                  "'white', 1 '#b2182b')\nset yrange [{0}:-0.5]\nset xrange [-0.5:{1}]\n",
                  random.layers[1] - 0.5, kColumns - 0.5) +
          fmt::format(fmt::runtime(panel), kColumns,
                      fmt::format("W1 after {} iterations from randn/√n", random.iterations),
                      "units_random.csv", -extent(random), extent(random)) +
          fmt::format(fmt::runtime(panel), kColumns,
                      fmt::format("W1 after {} iterations from W = 1/n: {} distinct unit(s)",
                                  equal.iterations, r.symmetry_facts[1].distinct_units.front()),
                      "units_equal.csv", -extent(equal), extent(equal)) +
          "unset multiplot\n",
      1100, 480);
}

// The collage: 64 × 64 tiles, kPerRow to a row, a band above each tile for its label.
constexpr arma::uword kSide = 64, kGap = 8, kBand = 28, kPerRow = 6;

void plot_mistakes(const nn::Figures& figures, const Results& r) {
  const Model& deep = r.models.back();
  const arma::uvec wrong = mistakes(deep, r.data);
  const arma::uword rows = std::max<arma::uword>(1, (wrong.n_elem + kPerRow - 1) / kPerRow);
  const arma::uword width = kPerRow * (kSide + kGap) - kGap, height = rows * (kSide + kBand);
  // every pixel of the collage as x, y, r, g, b (gnuplot's rgbimage wants the full rectangle)
  arma::vec x(width * height), y(width * height);
  std::vector<arma::vec> rgb(3, arma::vec(width * height, arma::fill::value(255.0)));
  for (arma::uword py = 0, p = 0; py < height; ++py)
    for (arma::uword px = 0; px < width; ++px, ++p) {
      x(p) = static_cast<double>(px), y(p) = static_cast<double>(height - 1 - py);
      const arma::uword tile = (py / (kSide + kBand)) * kPerRow + px / (kSide + kGap);
      const arma::uword row = py % (kSide + kBand), col = px % (kSide + kGap);
      if (tile >= wrong.n_elem || row < kBand || col >= kSide) continue;
      for (arma::uword c = 0; c < 3; ++c)  // byte (row, column, channel) in numpy's C order
        rgb[c](p) = r.data.test_images(((row - kBand) * kSide + col) * 3 + c, wrong(tile));
    }
  figures.csv("mistakes.csv", {"x", "y", "r", "g", "b"}, {x, y, rgb[0], rgb[1], rgb[2]});
  // each tile's label: its test index, the prediction with a, and the truth
  arma::vec cx(wrong.n_elem), cy(wrong.n_elem), index(wrong.n_elem), a(wrong.n_elem);
  for (arma::uword k = 0; k < wrong.n_elem; ++k) {
    cx(k) = static_cast<double>((k % kPerRow) * (kSide + kGap) + kSide / 2);
    cy(k) = static_cast<double>(height - (k / kPerRow) * (kSide + kBand) - kBand / 2);
    index(k) = static_cast<double>(wrong(k));
    a(k) = deep.test_probability(wrong(k));
  }
  figures.csv("mistakes_labels.csv", {"x", "y", "test_index", "a"}, {cx, cy, index, a});
  const std::string cat = r.data.classes[1], non_cat = r.data.classes[0];
  figures.draw(
      "mistakes",
      fmt::format("set title \"The {} test pictures the net {} gets wrong: its answer "
                  "and a = P(cat); the truth is the other class\"\n"
                  "unset border\nunset tics\nunset key\nset size ratio -1\n"
                  "set xrange [-1:{}]\nset yrange [-1:{}]\n"
                  "plot 'mistakes.csv' every ::1 using 1:2:3:4:5 with rgbimage, \\\n"
                  "     'mistakes_labels.csv' every ::1 using 1:2:(sprintf(\"#%d: %s %.2f\", $3, "
                  "$4 > 0.5 ? '{}' : '{}', $4)) with labels font ',9' textcolor rgb '#d00000'\n",
                  wrong.n_elem, layers_text(deep.layers), width, height, cat, non_cat),
      900, static_cast<int>(160 + rows * 110));
}

}  // namespace

nn::Json to_json(const Results& r, const Options& o) {
  nn::Json j;
  j["learning_rate"] = o.learning_rate;
  j["iterations"] = o.iterations;
  j["models"] = nn::Json::array();
  std::vector<std::string> scores;
  for (const Model& m : r.models) {
    j["models"].push_back(model_json(m));
    scores.push_back(fmt::format("L = {}: {:.0f} %", m.layers.size() - 1, m.test_accuracy));
  }
  j["headline"] = fmt::format("test accuracy {}", fmt::join(scores, ", "));
  j["wrong_test_pictures"] =
      arma::conv_to<std::vector<arma::uword>>::from(mistakes(r.models.back(), r.data));
  j["parameters"] = r.parameter_count;
  j["label_entropy"] = r.label_entropy;
  nn::Json symmetry;
  for (std::size_t k = 0; k < r.symmetry.size(); ++k) {
    nn::Json run = model_json(r.symmetry[k]);
    run["distinct_units"] = r.symmetry_facts[k].distinct_units;
    run["max_row_difference"] = r.symmetry_facts[k].max_row_difference;
    symmetry[init_name(r.symmetry[k].init).key] = run;
  }
  if (!symmetry.is_null()) j["symmetry"] = symmetry;
  j["seconds"] = r.seconds;
  return j;
}

void report(const Results& r, const Options& o, const nn::CommonOptions& common) {
  fmt::print("{} training and {} test pictures of 64x64x3 = {} pixel values each\n",
             r.data.X_train.n_cols, r.data.X_test.n_cols, r.data.X_train.n_rows);
  for (const Model& m : r.models) print_model(m);
  fmt::print("The net {} has {} parameters; it gets test pictures {} wrong\n",
             layers_text(r.models.back().layers), r.parameter_count,
             arma::conv_to<std::vector<arma::uword>>::from(mistakes(r.models.back(), r.data)));
  if (!r.symmetry.empty()) print_symmetry(r);
  const nn::Figures figures(common.out_dir, common.plots);
  plot_costs(figures, r);
  plot_mistakes(figures, r);
  if (!r.symmetry.empty()) {
    plot_symmetry_costs(figures, r);
    plot_symmetry(figures, r);
  }
  nn::write_results(common.out_dir, to_json(r, o));
  fmt::print("Results and figures in {} ({:.1f} s)\n", common.final_out_dir.string(), r.seconds);
}

}  // namespace ch08
